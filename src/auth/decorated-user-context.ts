/**
 * @module DecoratedUserContext (webapp `DecoratedUserContext` + `DecorationService`): a provider's
 * context wrapped by every other provider in order (spec §3.9 step 5), remembering each layer so the
 * same nesting can be rebuilt with `redecorate` after `updateUserContext`.
 */
import {
  DelegatingUserContext,
  type AuthenticatedUser,
  type Credentials,
  type UserContext,
} from '../extensions/api.js';
import { AuthenticationProcessError } from './authentication-process-error.js';
import type { AuthenticationProviderFacade } from './provider-facade.js';

/** What every layer of decoration is built with: the user and the request's credentials. */
export interface DecorationArgs {
  readonly authenticatedUser: AuthenticatedUser;
  readonly credentials: Credentials;
}

/**
 * One layer of decoration: the result of one provider's `decorate` (or `redecorate`) around the layer
 * below it. The outermost layer is what the REST layer uses.
 */
export class DecoratedUserContext extends DelegatingUserContext {
  /** The provider's own, undecorated context. */
  readonly undecorated: UserContext;
  /** The provider that applied this layer. */
  readonly decoratingProvider: AuthenticationProviderFacade;
  /** The layer below, or undefined for the innermost layer. */
  readonly inner: DecoratedUserContext | undefined;

  private constructor(
    delegate: UserContext,
    undecorated: UserContext,
    decoratingProvider: AuthenticationProviderFacade,
    inner: DecoratedUserContext | undefined,
  ) {
    super(delegate);
    this.undecorated = undecorated;
    this.decoratingProvider = decoratingProvider;
    this.inner = inner;
  }

  /**
   * Wraps a new context by every provider in order, skipping its owner; a null result keeps the
   * context as it was.
   * @param providers every provider, in authentication order (at least the context's owner)
   * @param context a provider's freshly created context
   * @param args the user and the login's credentials
   * @returns the outermost layer
   * @throws {AuthenticationProcessError} naming the provider whose `decorate` threw
   */
  static async decorate(
    providers: readonly AuthenticationProviderFacade[],
    context: UserContext,
    args: DecorationArgs,
  ): Promise<DecoratedUserContext> {
    let layer: DecoratedUserContext | undefined;
    for (const provider of providers) {
      const below: UserContext = layer ?? context;
      const delegate = await applyLayer(provider, context, args, 'decorating', () =>
        provider.decorate(below, args.authenticatedUser, args.credentials),
      );
      layer = new DecoratedUserContext(delegate ?? below, context, provider, layer);
    }
    if (layer === undefined) throw new RangeError('At least one provider is needed to decorate.');
    return layer;
  }

  /**
   * Rebuilds the same nesting around an updated context: each provider's `redecorate` receives what it
   * produced last time and the new layer below.
   * @param previous the outermost layer of the previous decoration
   * @param context the provider's updated context
   * @param args the user and the new request's credentials
   * @returns the new outermost layer
   * @throws {AuthenticationProcessError} naming the provider whose `redecorate` threw
   */
  static async redecorate(
    previous: DecoratedUserContext,
    context: UserContext,
    args: DecorationArgs,
  ): Promise<DecoratedUserContext> {
    const below =
      previous.inner === undefined
        ? undefined
        : await DecoratedUserContext.redecorate(previous.inner, context, args);
    const provider = previous.decoratingProvider;
    const wrapped: UserContext = below ?? context;
    const delegate = await applyLayer(provider, context, args, 'redecorating', () =>
      provider.redecorate(
        previous.getDelegateUserContext(),
        wrapped,
        args.authenticatedUser,
        args.credentials,
      ),
    );
    return new DecoratedUserContext(delegate ?? wrapped, context, provider, below);
  }
}

/** Runs one provider's (re)decoration unless it owns the context; errors name the provider. */
async function applyLayer(
  provider: AuthenticationProviderFacade,
  undecorated: UserContext,
  args: DecorationArgs,
  action: string,
  call: () => ReturnType<AuthenticationProviderFacade['decorate']>,
): Promise<UserContext | undefined> {
  // A provider never decorates its own context. (Java compares the facade with the real provider
  // here, which never match, so its owner's decorate IS called; the spec's rule is applied instead.)
  if (provider.is(undecorated.getAuthenticationProvider())) return undefined;
  try {
    return (await call()) ?? undefined;
  } catch (error) {
    throw new AuthenticationProcessError(
      `User authentication aborted by ${action} UserContext.`,
      provider,
      error,
    );
  }
}
