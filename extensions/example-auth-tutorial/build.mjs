#!/usr/bin/env node
/**
 * @module Builds (and optionally installs) the tutorial extension with nothing but TypeScript:
 * type-checks src/ with tsconfig.json, then transpiles every src/*.ts to <out-dir>/*.js.
 *
 * The provider must use the running server's own copy of the extension API (a bundled copy would
 * break `instanceof` checks on credential errors, as a second guacamole-ext jar would in Java). The
 * sources import it by its in-repository path (or by its public name); the build rewrites either to
 * `--api`.
 *
 * Usage: node build.mjs [--out-dir dist] [--api <specifier or URL>] [--install <GUACAMOLE_HOME>]
 *                       [--name <folder>] [--no-check]
 *   --api      what dist/*.js import the API from (default: guacamole-gateway/extension-api),
 *              e.g. file:///opt/guacamole-gateway/dist/extensions/api.js
 *   --install  also copy the extension to <GUACAMOLE_HOME>/extensions/<name> (guac-manifest.json,
 *              package.json, translations/ and the built dist/); --out-dir is then ignored
 *   --name     the folder name under extensions/ (default: the package name)
 *   --no-check skip type-checking (the repository's own `npm run typecheck` covers src/)
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';

const HERE = dirname(fileURLToPath(import.meta.url));

/** How src/ imports the API inside this repository. */
export const SOURCE_API_SPECIFIER = '../../../src/extensions/api.js';

/** The API's public package entry, the default run-time specifier. */
export const DEFAULT_API_SPECIFIER = 'guacamole-gateway/extension-api';

/** The specifiers the build points at `--api`. */
const API_SPECIFIERS = new Set([SOURCE_API_SPECIFIER, DEFAULT_API_SPECIFIER]);

/** What an installed extension needs besides dist/. */
const RUNTIME_FILES = ['guac-manifest.json', 'package.json', 'translations'];

/**
 * Reads tsconfig.json.
 * @returns the parsed command line (root files and compiler options)
 */
function readConfig() {
  const path = join(HERE, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(path, (file) => ts.sys.readFile(file));
  if (error !== undefined)
    throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, HERE, undefined, path);
  if (parsed.errors.length > 0) throw new Error(format(parsed.errors));
  return parsed;
}

/**
 * @param {readonly ts.Diagnostic[]} diagnostics TypeScript diagnostics
 * @returns them as tsc prints them
 */
function format(diagnostics) {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => HERE,
    getNewLine: () => '\n',
  });
}

/**
 * A transformer that points every import/export of the API (see {@link API_SPECIFIERS}) at `api`.
 * @param {string} api the run-time specifier
 * @returns {ts.TransformerFactory<ts.SourceFile>} the transformer
 */
function rewriteApiImports(api) {
  return (context) => (file) => {
    const { factory } = context;
    const target = (node) =>
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      API_SPECIFIERS.has(node.moduleSpecifier.text);
    const statements = file.statements.map((node) => {
      if (ts.isImportDeclaration(node) && target(node))
        return factory.updateImportDeclaration(
          node,
          node.modifiers,
          node.importClause,
          factory.createStringLiteral(api),
          node.attributes,
        );
      if (ts.isExportDeclaration(node) && target(node))
        return factory.updateExportDeclaration(
          node,
          node.modifiers,
          node.isTypeOnly,
          node.exportClause,
          factory.createStringLiteral(api),
          node.attributes,
        );
      return node;
    });
    return factory.updateSourceFile(file, statements);
  };
}

/**
 * Builds the extension.
 * @param {object} options
 * @param {string} options.outDir where the .js files go
 * @param {string} options.api what they import the API from
 * @param {boolean} options.check whether to type-check first
 * @returns {Promise<string[]>} the files written
 */
export async function build({ outDir, api, check }) {
  const config = readConfig();
  if (check) {
    const program = ts.createProgram(config.fileNames, config.options);
    const diagnostics = ts.getPreEmitDiagnostics(program);
    if (diagnostics.length > 0) throw new Error(`Type errors:\n${format(diagnostics)}`);
  }
  const sourceRoot = join(HERE, 'src');
  const written = [];
  for (const file of config.fileNames) {
    const output = ts.transpileModule(await readFile(file, 'utf8'), {
      fileName: file,
      compilerOptions: { ...config.options, module: ts.ModuleKind.ES2022, noEmit: false },
      transformers: { before: [rewriteApiImports(api)] },
    });
    const target = join(outDir, relative(sourceRoot, file).replace(/\.ts$/, '.js'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, output.outputText);
    written.push(target);
  }
  return written;
}

/**
 * Copies the run-time files and builds dist/ into GUACAMOLE_HOME/extensions/<name>.
 * @param {string} home GUACAMOLE_HOME
 * @param {string} name the extension's folder name
 * @param {{ api: string, check: boolean }} options as for {@link build}
 * @returns {Promise<string>} the installed folder
 */
export async function install(home, name, options) {
  const folder = join(resolve(home), 'extensions', name);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  for (const entry of RUNTIME_FILES)
    await cp(join(HERE, entry), join(folder, entry), { recursive: true });
  await build({ ...options, outDir: join(folder, 'dist') });
  return folder;
}

async function main() {
  const { values } = parseArgs({
    options: {
      'out-dir': { type: 'string', default: join(HERE, 'dist') },
      api: { type: 'string', default: DEFAULT_API_SPECIFIER },
      install: { type: 'string' },
      name: { type: 'string' },
      'no-check': { type: 'boolean', default: false },
    },
  });
  const options = { api: values.api, check: !values['no-check'] };
  if (values.install !== undefined) {
    const pkg = JSON.parse(await readFile(join(HERE, 'package.json'), 'utf8'));
    const folder = await install(values.install, values.name ?? pkg.name, options);
    process.stdout.write(`Installed into ${folder}\n`);
  } else {
    const files = await build({ ...options, outDir: resolve(values['out-dir']) });
    process.stdout.write(`Built ${files.map((f) => relative(process.cwd(), f)).join(', ')}\n`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
