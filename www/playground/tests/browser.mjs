// Shared set-up for the playground's end-to-end tests: the built playground served on 127.0.0.1,
// real headless Chromium (playwright-core, /usr/bin/chromium) with a fresh user-data-dir.
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_FLAGS } from "../../scripts/chromium.mjs";
import { startServer } from "../serve.mjs";

export const artifacts = resolve(
  process.env.PLAYGROUND_ARTIFACTS ??
    join(fileURLToPath(new URL("../../..", import.meta.url)), "target/playground-artifacts"),
);
mkdirSync(artifacts, { recursive: true });

const FLAGS = ["--headless", ...CHROMIUM_FLAGS];

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
      executablePath: CHROMIUM,
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
 * Waits until the page has started up: the sandbox loaded and the link's shared program, if any,
 * opened (or found damaged and ignored). Where a shared program would run if anything ran it
 * without Run.
 */
export async function started(page) {
  await page.waitForFunction(() => window.playground, null, { timeout: 30_000 });
  await awaitInPage(page, "the page's start-up", () => window.playground.started());
}

/**
 * Asserts that nothing has run on `page` once it has started up (sandbox loaded, link opened:
 * where a program would have run if anything ran it without Run): idle, no output, no events.
 */
export async function assertNothingRan(page) {
  await started(page);
  const state = await page.evaluate(() => ({
    state: window.playground.state,
    out: window.playground.console().filter((l) => l.stream !== "info"),
    events: window.playground.model().events.length,
  }));
  assert.deepEqual(state, { state: "idle", out: [], events: 0 }, "nothing ran");
}

/** Waits until the page has handled every message the run's worker sent before it answered. */
export async function settled(page) {
  await awaitInPage(page, "the sandbox's answer", () => window.playground.settled());
}

/** Awaits the promise `fn` returns in the page; a failure, not a hang, if it takes over `ms`. */
async function awaitInPage(page, what, fn, ms = 30_000) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([page.evaluate(fn), limit]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Opens the page in a fresh context (empty cache, no service worker) and records every response
 * body the page gets by URL (the service worker's precache fetches are its own, not the page's),
 * until the page is idle: the first load as a new visitor gets it. Then waits for the end of the
 * first visit's set-up, the service worker installed (its precache complete) and controlling the
 * page, and for every body read so far. Returns the page, the bodies, `recorded()` (resolves once
 * the bodies of the responses so far are in `bodies`) and the time to interactive (ms after
 * navigation).
 */
export async function openFirstLoad(env) {
  const fresh = await env.context();
  const page = await fresh.newPage();
  const bodies = new Map();
  const reads = new Set();
  page.on("response", (res) => {
    const read = res.body().then(
      (body) => bodies.set(res.url(), body),
      () => {}, // redirects have no body
    );
    reads.add(read);
    read.then(() => reads.delete(read));
  });
  const recorded = async () => {
    while (reads.size) await Promise.all(reads);
  };
  await page.goto(env.url);
  await page.waitForFunction(() => window.playground?.state === "idle", null, { timeout: 30_000 });
  const tti = await page.evaluate(() => performance.now());
  // The service worker claims the page when it activates, after its install's precache.
  await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 30_000 });
  await recorded();
  return { fresh, page, bodies, recorded, tti };
}

/** Runs what is in the editor on `mode` and waits for the run to end; returns console and timeline. */
export async function runProgram(page, mode = "virtual", { timeout = 30_000 } = {}) {
  await page.selectOption("#mode", mode);
  await page.click("#run");
  await page.waitForFunction(() => ["done", "error"].includes(window.playground.state), null, { timeout });
  // Anything the worker sent after its `done` (tasks the program left running, in real time)
  // up to now is in too.
  await settled(page);
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
