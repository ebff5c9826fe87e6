// The package's entry bundles: esbuild turns one entry of src/ (glue + JS layer) into one file of
// dist/, for Node or for browsers. build.mjs and core.mjs each pass their list of entries.
import { join } from 'node:path';
import { build } from 'esbuild';

/** esbuild's options for every file the package ships: one minified ES2022 bundle each. */
const SHIPPED = {
  bundle: true,
  minifySyntax: true,
  minifyWhitespace: true,
  logLevel: 'warning',
  legalComments: 'none',
  target: 'es2022',
};

/**
 * Bundles each `[entry, outfile, format, platform]` (entry in www/src, outfile in dist) at once;
 * `extra` options (plugins) apply to all. A CommonJS bundle keeps its `import.meta` quiet: the
 * Node entry reads it only when it is an ES module.
 */
export function bundleEntries(www, entries, extra = {}) {
  return Promise.all(
    entries.map(([entry, outfile, format, platform]) =>
      build({
        ...SHIPPED,
        ...extra,
        entryPoints: [join(www, 'src', entry)],
        outfile: join(www, 'dist', outfile),
        format,
        platform,
        ...(format === 'cjs' && { logOverride: { 'empty-import-meta': 'silent' } }),
      }),
    ),
  );
}
