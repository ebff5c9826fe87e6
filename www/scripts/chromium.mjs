// Headless Chromium as every browser test, benchmark and screenshot of this repository launches it
// through playwright-core: the npm package's browser suite (www/test), the packaging matrix
// (www/apps), the playground's e2e suite (www/playground/tests) and benches/js.

/** The browser binary: setup.sh installs it at /usr/bin/chromium; `CHROMIUM` overrides. */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/**
 * The command-line flags every launch shares: no sandbox (CI runs as root), no GPU, and nothing
 * that reaches the network on its own (QUIC, background updates, sync), so a run only ever talks
 * to its own servers on 127.0.0.1.
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
