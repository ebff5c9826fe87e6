// Shared set-up for the playground's end-to-end tests: the built playground served on 127.0.0.1,
// real headless Chromium (playwright-core, /usr/bin/chromium) with a fresh user-data-dir.
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startServer } from "../serve.mjs";

export const artifacts = resolve(
  process.env.PLAYGROUND_ARTIFACTS ??
    join(fileURLToPath(new URL("../../..", import.meta.url)), "target/playground-artifacts"),
);
mkdirSync(artifacts, { recursive: true });

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Starts the server and a browser; returns helpers and a close function. */
export async function setup() {
  const port = Number(process.env.PLAYGROUND_PORT ?? 18842);
  const { server, url } = await startServer(port, { quiet: true });
  const dirs = [];
  const contexts = [];
  /** A fresh persistent context (its own user-data-dir), so service-worker state starts empty. */
  async function context(options = {}) {
    const dir = mkdtempSync(join(tmpdir(), "wasio-playground-"));
    dirs.push(dir);
    const ctx = await chromium.launchPersistentContext(dir, {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      headless: true,
      args: FLAGS,
      viewport: { width: 1280, height: 900 },
      ...options,
    });
    contexts.push(ctx);
    return ctx;
  }
  async function close() {
    for (const c of contexts) await c.close().catch(() => {});
    server.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  return { url, context, close };
}

/** Opens `path` and waits until the sandbox is loaded (Run enabled). */
export async function open(ctx, url, path = "") {
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.errors = errors;
  await page.goto(url + path);
  await page.waitForFunction(() => window.playground && window.playground.state !== "loading", null, {
    timeout: 30_000,
  });
  return page;
}

/**
 * Opens the page in a fresh context (empty cache, no service worker) and records every response
 * body by URL, until the page is idle: the first load as a new visitor gets it. Returns the page,
 * the bodies and the time to interactive (ms after navigation).
 */
export async function openFirstLoad(env) {
  const fresh = await env.context();
  const page = await fresh.newPage();
  const bodies = new Map();
  page.on("response", async (res) => {
    try {
      bodies.set(res.url(), await res.body());
    } catch {
      /* redirects have no body */
    }
  });
  await page.goto(env.url);
  await page.waitForFunction(() => window.playground?.state === "idle", null, { timeout: 30_000 });
  const tti = await page.evaluate(() => performance.now());
  return { fresh, page, bodies, tti };
}

/** Runs what is in the editor on `mode` and waits for the run to end; returns console and timeline. */
export async function runProgram(page, mode = "virtual", { timeout = 30_000 } = {}) {
  await page.selectOption("#mode", mode);
  await page.click("#run");
  await page.waitForFunction(() => ["done", "error"].includes(window.playground.state), null, { timeout });
  // Events from tasks still finishing after the program's top level arrive in the next batch.
  await page.waitForTimeout(100);
  return page.evaluate(() => ({
    state: window.playground.state,
    finishedAt: window.playground.finishedAt,
    console: window.playground.console(),
    summary: window.playground.summary(),
    events: window.playground.model().events.length,
  }));
}

export const stdout = (r) => r.console.filter((l) => l.stream === "stdout").map((l) => l.text);
export const stderr = (r) => r.console.filter((l) => l.stream === "stderr").map((l) => l.text);
export const errorsOf = (r) => r.console.filter((l) => l.stream === "error");
