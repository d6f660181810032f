/**
 * @module The `extension-priority` order (Java's `ExtensionOrderProperty`): listed namespaces by
 * position, `*` standing for every unlisted one (else they come last), ties by file name.
 */
import type { ExtensionLogger } from './environment.js';

/** What ordering looks at. */
export interface Orderable {
  /** The manifest namespace, if any. */
  readonly namespace: string | undefined;
  /** The file or folder name inside `GUACAMOLE_HOME/extensions`. */
  readonly file: string;
}

const OTHER_EXTENSIONS = '*';

// Java's File.compareTo on Unix is String.compareTo: UTF-16 code units, which is what < compares.
const byFile = (a: Orderable, b: Orderable): number =>
  a.file < b.file ? -1 : a.file > b.file ? 1 : 0;

/**
 * Builds the comparator for `extension-priority`.
 * @param priority the property's entries in order, or undefined when unset (then: by file name)
 * @param logger warned once per repeated entry
 * @param propertyName the property's name, for the warning
 * @returns a comparator for `Array.prototype.sort` (stable, lower priority first)
 */
export function extensionComparator(
  priority: readonly string[] | undefined,
  logger: ExtensionLogger,
  propertyName = 'extension-priority',
): (a: Orderable, b: Orderable) => number {
  if (priority === undefined) return byFile;
  const positions = new Map<string, number>();
  priority.forEach((entry, index) => {
    if (positions.has(entry)) {
      logger.warn(
        `The value "${entry}" was specified multiple times for property "${propertyName}". ` +
          'Only the first occurrence of this value will have any effect.',
      );
      return;
    }
    positions.set(entry, index);
  });
  const others = positions.get(OTHER_EXTENSIONS) ?? priority.length;
  positions.delete(OTHER_EXTENSIONS);
  const rank = (extension: Orderable): number =>
    (extension.namespace === undefined ? undefined : positions.get(extension.namespace)) ?? others;
  return (a, b) => rank(a) - rank(b) || byFile(a, b);
}
