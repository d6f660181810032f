/**
 * @module The home view: the connections and groups of every data source of the session, from
 * `api/session/data/<ds>/connectionGroups/ROOT/tree` (spec §6.4), as nested lists of links. Names
 * are text nodes, whatever they contain. Right after login, a tree of exactly one connection (or
 * balancing group) opens it at once, as the official frontend's home page does.
 */

import { connectionTree } from './api.js';
import { h } from './dom.js';
import { encodeIdentifier } from './identifier.js';

/**
 * @typedef {object} TreeNode an APIConnectionGroup or APIConnection (the fields used)
 * @property {string} name the name
 * @property {string} identifier the identifier
 * @property {string} [type] a group's type: ORGANIZATIONAL or BALANCING
 * @property {string} [protocol] a connection's protocol
 * @property {TreeNode[]} [childConnectionGroups] a group's groups
 * @property {TreeNode[]} [childConnections] a group's connections
 */

/**
 * @typedef {object} HomeContext what the view needs from the app
 * @property {import('./api.js').AuthResult} session the session
 * @property {HTMLElement} header the shared header, already rendered
 * @property {(error: unknown) => void} onError called when loading fails (403 ends the session)
 * @property {boolean} [autoOpen] open the only connection, if there is exactly one
 */

/** @param {TreeNode} a @param {TreeNode} b @returns {number} their order by name */
const byName = (a, b) => String(a.name).localeCompare(String(b.name));

/**
 * @param {string} dataSource the data source
 * @param {'c' | 'g'} type connection or balancing group
 * @param {TreeNode} node the object
 * @returns {string} the client view's address of it
 */
function clientHref(dataSource, type, node) {
  return `#/client/${encodeIdentifier({ id: String(node.identifier), type, dataSource })}`;
}

/**
 * @param {string} dataSource the data source
 * @param {'c' | 'g'} type connection or balancing group
 * @param {TreeNode} node the object
 * @returns {HTMLAnchorElement} a link that opens it
 */
function clientLink(dataSource, type, node) {
  const href = clientHref(dataSource, type, node);
  return h('a', { className: 'connect', props: { href } }, String(node.name));
}

/**
 * Renders a group's children.
 * @param {string} dataSource the data source
 * @param {TreeNode} group the group
 * @returns {HTMLUListElement | null} the list, or null when the group is empty
 */
function children(dataSource, group) {
  const groups = [...(group.childConnectionGroups ?? [])].sort(byName);
  const connections = [...(group.childConnections ?? [])].sort(byName);
  if (groups.length === 0 && connections.length === 0) return null;
  return h(
    'ul',
    { className: 'tree' },
    ...groups.map((child) => {
      const title =
        child.type === 'BALANCING'
          ? clientLink(dataSource, 'g', child)
          : h('span', { className: 'group-name' }, String(child.name));
      return h(
        'li',
        { className: 'group', dataset: { identifier: String(child.identifier) } },
        h(
          'details',
          { props: { open: true } },
          h('summary', {}, title),
          children(dataSource, child),
        ),
      );
    }),
    ...connections.map((child) =>
      h(
        'li',
        { className: 'connection', dataset: { identifier: String(child.identifier) } },
        clientLink(dataSource, 'c', child),
        child.protocol ? h('span', { className: 'protocol' }, String(child.protocol)) : null,
      ),
    ),
  );
}

/**
 * The one thing to open when the trees hold exactly one connection or balancing group and nothing
 * else.
 * @param {string[]} sources the data sources
 * @param {TreeNode[]} trees their root groups, in the same order
 * @returns {string | null} its `#/client/…` address, or null
 */
export function soleTarget(sources, trees) {
  /** @type {string[]} */
  const found = [];
  sources.forEach((ds, i) => {
    const root = trees[i];
    for (const group of root?.childConnectionGroups ?? []) {
      found.push(group.type === 'BALANCING' ? clientHref(ds, 'g', group) : '');
    }
    for (const connection of root?.childConnections ?? []) {
      found.push(clientHref(ds, 'c', connection));
    }
  });
  return found.length === 1 && found[0] ? found[0] : null;
}

/**
 * Renders the home view and loads every data source's tree.
 * @param {HTMLElement} root where to render
 * @param {HomeContext} context the session, header and error handler
 * @returns {Promise<void>} settles once every tree is shown
 */
export async function renderHome(root, context) {
  const { session } = context;
  const sources = session.availableDataSources?.length
    ? session.availableDataSources
    : [session.dataSource];
  const list = h('div', { className: 'sources', attrs: { 'aria-busy': 'true' } }, 'Loading…');
  root.replaceChildren(
    context.header,
    h('main', { className: 'home' }, h('h1', { props: { tabIndex: -1 } }, 'All connections'), list),
  );
  let trees;
  try {
    trees = await Promise.all(sources.map((ds) => connectionTree(session.authToken, ds)));
  } catch (error) {
    context.onError(error);
    return;
  }
  const sole = context.autoOpen ? soleTarget(sources, trees) : null;
  if (sole) {
    location.replace(sole);
    return;
  }
  const sections = sources
    .map((ds, i) => ({ ds, tree: children(ds, trees[i]) }))
    .filter(({ tree }) => tree !== null)
    .map(({ ds, tree }) =>
      h(
        'section',
        { className: 'source', dataset: { source: ds } },
        sources.length > 1 ? h('h2', {}, ds) : null,
        tree,
      ),
    );
  list.removeAttribute('aria-busy');
  list.replaceChildren(
    ...(sections.length > 0
      ? sections
      : [h('p', { className: 'empty' }, 'No connections are available.')]),
  );
}
