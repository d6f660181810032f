/**
 * @module Instantiating an extension's providers and listeners (Java's `AuthenticationProviderFacade`
 * and `ListenerFactory`): a provider that fails to start is replaced by an inert one, a listener that
 * fails is left out, and Java classes with no TypeScript port produce one warning per extension.
 */
import { isExtensionListener, isExtensionProvider } from './contracts.js';
import type { ExtensionListener, ExtensionProvider } from './contracts.js';
import type { ExtensionEnvironment, ExtensionLogger } from './environment.js';
import { describeError } from './extension-error.js';
import type { ComponentEntry, Extension } from './extension.js';
import { createInertProvider } from './inert-provider.js';
import { instantiate } from './module-loader.js';

/** The providers and listeners one extension contributes, in manifest order. */
export interface ExtensionComponents {
  /** Providers; `inert` marks placeholders for ones that failed to start. */
  readonly providers: readonly { entry: string; provider: ExtensionProvider; inert: boolean }[];
  /** Listeners that started. */
  readonly listeners: readonly { entry: string; listener: ExtensionListener }[];
}

async function build(
  entry: ComponentEntry,
  environment: ExtensionEnvironment,
): Promise<{ value: unknown } | undefined> {
  switch (entry.kind) {
    case 'module':
      return { value: await instantiate(entry.exported, environment) };
    case 'port':
      return { value: await instantiate(entry.factory, environment) };
    case 'java':
      return undefined;
  }
}

function warnUnported(
  extension: Extension,
  entries: readonly ComponentEntry[],
  log: ExtensionLogger,
): void {
  const unported = entries.filter((entry) => entry.kind === 'java');
  if (unported.length === 0) return;
  const classes = unported
    .map(({ entry, info }) => (info ? `${entry} (Apache ${info.artifact})` : entry))
    .join(', ');
  const [noun, pronoun] = unported.length === 1 ? ['class', 'it is'] : ['classes', 'they are'];
  log.warn(
    `Extension "${extension.file}" names the Java ${noun} ${classes}, which this server cannot run ` +
      `and has no TypeScript port of, so ${pronoun} not active; the extension's UI parts ` +
      '(JavaScript, CSS, HTML patches, translations, resources and icons) still load.',
  );
}

/**
 * Builds the providers and listeners of one extension.
 * @param extension the extension
 * @param environment what each class or factory receives
 * @param logger the loader's logger, for failures
 * @returns what was built
 */
export async function instantiateComponents(
  extension: Extension,
  environment: ExtensionEnvironment,
  logger: ExtensionLogger,
): Promise<ExtensionComponents> {
  const where = `Extension "${extension.file}"`;
  const providers: { entry: string; provider: ExtensionProvider; inert: boolean }[] = [];
  for (const entry of extension.providers) {
    let built: { value: unknown } | undefined;
    try {
      built = await build(entry, environment);
      if (built === undefined) continue;
      if (!isExtensionProvider(built.value))
        throw new TypeError('it did not produce an object with getIdentifier()');
      providers.push({ entry: entry.entry, provider: built.value, inert: false });
    } catch (error) {
      logger.error(
        `${where}: authentication provider "${entry.entry}" failed to start: ${describeError(error)}`,
      );
      providers.push({ entry: entry.entry, provider: createInertProvider(logger), inert: true });
    }
  }
  const listeners: { entry: string; listener: ExtensionListener }[] = [];
  for (const entry of extension.listeners) {
    try {
      const built = await build(entry, environment);
      if (built === undefined) continue;
      if (!isExtensionListener(built.value))
        throw new TypeError('it did not produce an object with handleEvent()');
      listeners.push({ entry: entry.entry, listener: built.value });
    } catch (error) {
      logger.error(`${where}: listener "${entry.entry}" failed to start: ${describeError(error)}`);
    }
  }
  warnUnported(extension, [...extension.providers, ...extension.listeners], logger);
  return { providers, listeners };
}
