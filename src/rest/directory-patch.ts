/**
 * @module Batch changes to a directory (webapp `DirectoryResource.patchObjects`): JSON-patch-like
 * `add`/`replace`/`remove` items run inside `tryAtomically`; a directory without atomic support is 501,
 * and any failed item fails the whole batch with every item's outcome.
 */
import {
  ClientError,
  getTranslatableMessage,
  GuacamoleError,
  tryAtomically,
  UnsupportedError,
  type Directory,
  type Identifiable,
  type Listener,
  type TranslatableMessage,
} from '../extensions/api.js';
import { PatchFailureError, UNTRANSLATED_MESSAGE_KEY, type ApiPatchOutcome } from './api-error.js';
import { listBody, objectBody, stringOf, type InputObject } from './api-input.js';
import type { DirectoryKind, DirectoryScope } from './directory-kinds.js';
import { fireDirectoryFailure, lookupObject, withDirectoryEvents } from './directory-events.js';

/** The operations `APIPatch.Operation` accepts (only the first three are implemented). */
const OPERATIONS = new Set(['add', 'remove', 'replace', 'copy', 'move', 'test']);

interface Batch<T extends Identifiable> {
  readonly outcomes: ApiPatchOutcome[];
  readonly added: T[];
  readonly replaced: T[];
  readonly removed: string[];
  /** Outcomes whose identifiers are cleared if the batch fails (creations and removals). */
  readonly clearable: ApiPatchOutcome[];
  failed: boolean;
}

function failureMessage(error: unknown): TranslatableMessage | undefined {
  const translatable = getTranslatableMessage(error);
  if (translatable !== undefined) return translatable;
  if (error instanceof GuacamoleError) {
    return { key: UNTRANSLATED_MESSAGE_KEY, variables: { MESSAGE: error.message } };
  }
  return undefined;
}

/**
 * Applies a batch of changes to a directory.
 * @param listeners where directory events go
 * @param kind the directory type
 * @param scope the user, context and directory
 * @param body the parsed request body: a list of `{op, path, value}`
 * @returns the `APIPatchResponse`
 * @throws {UnsupportedError} for a directory without atomic operations, or an unsupported operation
 * @throws {PatchFailureError} when any item failed
 */
export async function patchDirectory<T extends Identifiable>(
  listeners: Listener,
  kind: DirectoryKind<T>,
  scope: DirectoryScope<T>,
  body: unknown,
): Promise<{ patches: ApiPatchOutcome[] }> {
  const patches = body === null ? [] : listBody(body, 'APIPatch');
  const batch: Batch<T> = {
    outcomes: [],
    added: [],
    replaced: [],
    removed: [],
    clearable: [],
    failed: false,
  };
  await tryAtomically(scope.directory, async (atomic, directory) => {
    if (!atomic) {
      throw new UnsupportedError(
        'The extension providing this directory does not support Atomic Operations. ' +
          'The patch cannot be executed.',
      );
    }
    for (const patch of patches) await applyPatch(listeners, kind, scope, directory, patch, batch);
    if (batch.failed) {
      for (const outcome of batch.clearable) outcome.identifier = null;
      throw new PatchFailureError('The provided patches failed to apply.', batch.outcomes);
    }
    const events = [
      ...batch.added.map((object) => ({ operation: 'ADD' as const, object })),
      ...batch.replaced.map((object) => ({ operation: 'UPDATE' as const, object })),
    ];
    for (const { operation, object } of events) {
      const target = () => ({ operation, identifier: object.identifier, object });
      await withDirectoryEvents(listeners, kind, scope, target, () => Promise.resolve());
    }
    for (const identifier of batch.removed) {
      const target = () => ({ operation: 'REMOVE' as const, identifier, object: undefined });
      await withDirectoryEvents(listeners, kind, scope, target, () => Promise.resolve());
    }
  });
  return { patches: batch.outcomes };
}

async function applyPatch<T extends Identifiable>(
  listeners: Listener,
  kind: DirectoryKind<T>,
  scope: DirectoryScope<T>,
  directory: Directory<T>,
  patch: InputObject,
  batch: Batch<T>,
): Promise<void> {
  const path = stringOf(patch, 'path') ?? '';
  if (!path.startsWith('/')) throw new ClientError('Patch paths must start with "/".');
  const op = stringOf(patch, 'op');
  if (op !== undefined && !OPERATIONS.has(op))
    throw new ClientError(`Invalid patch operation "${op}".`);
  const inScope = { ...scope, directory };
  const fail = async (
    operation: 'ADD' | 'UPDATE' | 'REMOVE',
    identifier: string | undefined,
    object: T | undefined,
    error: unknown,
  ): Promise<void> => {
    batch.failed = true;
    await fireDirectoryFailure(listeners, kind, scope, { operation, identifier, object }, error);
    const message = failureMessage(error);
    if (message === undefined) throw error;
    const reported = operation === 'ADD' ? null : (identifier ?? null);
    batch.outcomes.push({ op: op ?? 'null', identifier: reported, path, error: message });
  };
  if (op === 'add') {
    const submitted = kind.toInternal(objectBody(patch.value ?? null, 'object') ?? {});
    await kind.filter(scope.userContext, undefined, submitted);
    try {
      await directory.add(submitted);
      batch.added.push(submitted);
      const outcome = { op, identifier: submitted.identifier, path };
      batch.outcomes.push(outcome);
      batch.clearable.push(outcome);
    } catch (error) {
      await fail('ADD', submitted.identifier, submitted, error);
    }
  } else if (op === 'replace') {
    const identifier = path.slice(1);
    let original: T | undefined;
    try {
      original = await lookupObject(listeners, kind, inScope, identifier);
      await kind.applyChanges(
        original,
        kind.toInternal(objectBody(patch.value ?? null, 'object') ?? {}),
      );
      await directory.update(original);
      batch.replaced.push(original);
      batch.outcomes.push({ op, identifier, path });
    } catch (error) {
      await fail('UPDATE', identifier, original, error);
    }
  } else if (op === 'remove') {
    const identifier = path.slice(1);
    try {
      await directory.remove(identifier);
      batch.removed.push(identifier);
      const outcome = { op, identifier, path };
      batch.outcomes.push(outcome);
      batch.clearable.push(outcome);
    } catch (error) {
      await fail('REMOVE', identifier, undefined, error);
    }
  } else {
    throw new UnsupportedError(
      `Unsupported patch operation "${op ?? 'null'}". Only add, replace, and remove are supported.`,
    );
  }
}
