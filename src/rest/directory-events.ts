/**
 * @module Directory events as the REST resources fire them (webapp `DirectoryResource` and
 * `DirectoryObjectResource`): a success or failure event per operation, which a listener may veto.
 */
import {
  DirectoryFailureEvent,
  DirectorySuccessEvent,
  ResourceNotFoundError,
  type DirectoryOperation,
  type Identifiable,
  type Listener,
} from '../extensions/api.js';
import type { DirectoryKind, DirectoryScope } from './directory-kinds.js';

/** One operation on one object, for an event. */
export interface DirectoryEventTarget<T> {
  readonly operation: DirectoryOperation;
  readonly identifier: string | undefined;
  readonly object: T | undefined;
}

function details<T extends Identifiable>(
  kind: DirectoryKind<T>,
  scope: DirectoryScope<T>,
  target: DirectoryEventTarget<T>,
): ConstructorParameters<typeof DirectorySuccessEvent>[0] {
  return {
    authenticatedUser: scope.authenticatedUser,
    authenticationProvider: scope.userContext.getAuthenticationProvider(),
    directoryType: kind.type,
    operation: target.operation,
    objectIdentifier: target.identifier,
    object: target.object,
  };
}

/**
 * Runs an operation and fires its success event, or its failure event and rethrows.
 * @param listeners where events go
 * @param kind the directory type
 * @param scope the user, context and directory
 * @param target the operation, identifier and object, read once the work has run (an added object's
 *   identifier is only known then)
 * @param operation the work
 * @returns the work's result
 */
export async function withDirectoryEvents<T extends Identifiable, R>(
  listeners: Listener,
  kind: DirectoryKind<T>,
  scope: DirectoryScope<T>,
  target: () => DirectoryEventTarget<T>,
  operation: () => Promise<R>,
): Promise<R> {
  let result: R;
  try {
    result = await operation();
  } catch (error) {
    await listeners.handleEvent(new DirectoryFailureEvent(details(kind, scope, target()), error));
    throw error;
  }
  await listeners.handleEvent(new DirectorySuccessEvent(details(kind, scope, target())));
  return result;
}

/**
 * Fires a failure event for an operation that failed outside {@link withDirectoryEvents}.
 * @param listeners where events go
 * @param kind the directory type
 * @param scope the user, context and directory
 * @param target the operation, identifier and object
 * @param failure the error
 */
export async function fireDirectoryFailure<T extends Identifiable>(
  listeners: Listener,
  kind: DirectoryKind<T>,
  scope: DirectoryScope<T>,
  target: DirectoryEventTarget<T>,
  failure: unknown,
): Promise<void> {
  await listeners.handleEvent(new DirectoryFailureEvent(details(kind, scope, target), failure));
}

/**
 * Looks an object up as `DirectoryResource.getObjectByIdentifier` does: a failure fires a GET failure
 * event (the caller fires the success event, if any).
 * @param listeners where events go
 * @param kind the directory type
 * @param scope the directory
 * @param identifier the object's identifier
 * @returns the object
 * @throws {ResourceNotFoundError} `Not found: "<identifier>"`
 */
export async function lookupObject<T extends Identifiable>(
  listeners: Listener,
  kind: DirectoryKind<T>,
  scope: DirectoryScope<T>,
  identifier: string,
): Promise<T> {
  try {
    const found = await scope.directory.get(identifier);
    if (found === null || found === undefined) {
      throw new ResourceNotFoundError(`Not found: "${identifier}"`);
    }
    return found;
  } catch (error) {
    const target = { operation: 'GET' as const, identifier, object: undefined };
    await fireDirectoryFailure(listeners, kind, scope, target, error);
    throw error;
  }
}

/**
 * Resolves `/{identifier}` as `DirectoryResource.getObjectResource` does: the lookup, then a GET
 * success event.
 * @param listeners where events go
 * @param kind the directory type
 * @param scope the directory
 * @param identifier the object's identifier
 * @returns the object
 * @throws {ResourceNotFoundError} `Not found: "<identifier>"`
 */
export async function getObject<T extends Identifiable>(
  listeners: Listener,
  kind: DirectoryKind<T>,
  scope: DirectoryScope<T>,
  identifier: string,
): Promise<T> {
  const object = await lookupObject(listeners, kind, scope, identifier);
  const target = { operation: 'GET' as const, identifier, object };
  await listeners.handleEvent(new DirectorySuccessEvent(details(kind, scope, target)));
  return object;
}
