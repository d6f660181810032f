/**
 * @module The home view: the connections and groups of every data source of the session, from
 * `api/session/data/<ds>/connectionGroups/ROOT/tree` (spec §6.4), as nested lists of links. Names
 * are text nodes, whatever they contain.
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
 */

/** @param {TreeNode} a @param {TreeNode} b @returns {number} their order by name */
const byName = (a, b) => String(a.name).localeCompare(String(b.name));

/**
 * @param {string} dataSource the data source
 * @param {'c' | 'g'} type connection or balancing group
 * @param {TreeNode} node the object
 * @returns {HTMLAnchorElement} a link that opens it
 */
function clientLink(dataSource, type, node) {
  const id = encodeIdentifier({ id: String(node.identifier), type, dataSource });
  return h('a', { className: 'connect', props: { href: `#/client/${id}` } }, String(node.name));
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
