// The playground's Python programs in real headless Chromium: every Python gallery example's
// console output against CPython's (python3 runs the same file here), their timelines (lanes,
// wait reasons, wake edges), tracebacks, Stop, share links, the size of the Python download.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { after, before, describe, test } from "node:test";
import {
  artifacts,
  assertNothingRan,
  errorsOf,
  open,
  openFirstLoad,
  runProgram,
  settled,
  setup,
  stderr,
  stdout,
} from "./browser.mjs";
import { pythonExpectations } from "./python-expectations.mjs";

const examplesDir = fileURLToPath(new URL("../src/examples/py/", import.meta.url));
const cpythonSim = fileURLToPath(new URL("../../../python/tests/cpython_sim.py", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "wasio-playground-py-"));
/** A port for CPython's run of the echo example over TCP (the playground's runs use mem://). */
const echoPort = Number(process.env.PLAYGROUND_PORT ?? 18842) + 1;

/** What CPython prints for a gallery example (echo-mem over 127.0.0.1 instead of mem://). */
function cpython(id) {
  let source = readFileSync(join(examplesDir, `${id}.py`), "utf8");
  if (id === "echo-mem") {
    assert.ok(source.includes('("mem://echo", None)'));
    source = source.replace('("mem://echo", None)', `("127.0.0.1", ${echoPort})`);
  }
  const file = join(tmp, `${id}.py`);
  writeFileSync(file, source);
  // CPython's asyncio on a virtual clock, as the playground's virtual mode runs the program.
  const out = execFileSync("python3", [cpythonSim, file], {
    encoding: "utf8",
    env: { ...process.env, PYTHONHASHSEED: "0" },
  });
  return out.split("\n").slice(0, -1);
}

let env;
let ctx;
before(async () => {
  env = await setup();
  ctx = await env.context();
});
after(async () => env?.close());

const shot = (page, name) => page.locator(".timeline-pane").screenshot({ path: join(artifacts, `${name}.png`) });

async function wakeEdges(page) {
  return page.evaluate(() => {
    const m = window.playground.model();
    const name = new Map(m.lanes.map((l) => [l.task, l.name]));
    return m.edges.filter((e) => e.kind === "wake").map((e) => `${name.get(e.from)} -> ${name.get(e.to)}`);
  });
}

describe("python gallery", () => {
  test("every gallery example has a Python version with expectations", async () => {
    const page = await open(ctx, env.url, "?lang=python");
    const ids = await page.evaluate(() => window.playground.examples());
    assert.deepEqual([...ids].sort(), Object.keys(pythonExpectations).sort());
    assert.equal(await page.evaluate(() => window.playground.language), "python");
    assert.match(await page.evaluate(() => window.playground.editor.code), /^# [^]*?\nimport asyncio/);
    // Python's highlighting came (lazily): keywords are styled tokens.
    await page.waitForFunction(() =>
      [...document.querySelectorAll(".cm-line span")].some((s) => s.textContent === "import"),
    );
    await page.close();
  });

  for (const [id, want] of Object.entries(pythonExpectations)) {
    test(`${id}.py: output as CPython's, timeline on the virtual clock`, async () => {
      const expected = cpython(id);
      const page = await open(ctx, env.url, `?example=${id}&lang=python`);
      const r = await runProgram(page, "virtual");
      await shot(page, `python-${id}`);
      assert.deepEqual(errorsOf(r), [], "no uncaught errors");
      assert.equal(r.state, "done");
      assert.deepEqual(stdout(r), expected, "stdout as CPython's");
      assert.deepEqual(stderr(r), [], "stderr");
      if (want.loopTime !== undefined) assert.equal(r.finishedAt, want.loopTime, "loop time at the end");
      const lanes = new Map(r.summary.map((l) => [l.name, l]));
      for (const [name, lane] of Object.entries(want.lanes)) {
        const got = lanes.get(name);
        assert.ok(got, `a lane named '${name}' (lanes: ${[...lanes.keys()].join(", ")})`);
        assert.ok(got.states.includes("running"), `${name} ran`);
        for (const reason of lane.reasons ?? [])
          assert.ok(got.reasons.includes(reason), `${name} waited on ${reason} (reasons: ${got.reasons.join(", ")})`);
        if (lane.outcome) assert.equal(got.outcome, lane.outcome, `${name}'s outcome`);
      }
      // The module body (which runs asyncio.run(main()) in place) ends when the program does.
      const module = await page.evaluate(() => window.playground.model().lanes.find((l) => l.name === "<module>"));
      assert.ok(module, "a <module> lane");
      assert.deepEqual(
        module.marks.filter((k) => k.kind !== "spawn").map((k) => [k.kind, k.time]),
        [["complete", r.finishedAt]],
        "<module> completes once, at the end",
      );
      assert.ok(
        module.spans.every((sp) => sp.end === undefined || sp.end >= sp.start),
        "<module>'s spans run forward",
      );
      // Shown lanes are the program's tasks, named; the interpreter's helpers are under "wasio's tasks".
      const shown = await page.evaluate(() => window.playground.view.lanes().map((l) => l.name));
      assert.deepEqual(
        shown.filter((n) => /^task \d+$/.test(n)),
        [],
        `only named lanes shown (${shown})`,
      );
      const edges = await wakeEdges(page);
      for (const edge of want.wakes ?? []) assert.ok(edges.includes(edge), `a wake edge ${edge} (edges: ${edges})`);
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  }
});

describe("python runs", () => {
  test("real time: sleep-dots prints as CPython and its timeline spans the program's 1.1 s", async () => {
    const page = await open(ctx, env.url, "?example=sleep-dots&lang=python");
    await page.selectOption("#mode", "realtime");
    await page.click("#run");
    // The dots show while they are printed (print(".", end="") has no line end until the last).
    await page.waitForFunction(() =>
      window.playground.console().some((l) => l.stream === "stdout" && /^\.{2,4}$/.test(l.text)),
    );
    assert.equal(await page.evaluate(() => window.playground.state), "running");
    await page.waitForFunction(() => window.playground.state === "done");
    await settled(page);
    const r = await page.evaluate(() => ({
      state: window.playground.state,
      finishedAt: window.playground.finishedAt,
      console: window.playground.console(),
      summary: window.playground.summary(),
    }));
    assert.equal(await page.locator("#console .line.stdout").first().locator(".text").textContent(), ".....");
    await page.screenshot({ path: join(artifacts, "python-realtime.png") });
    assert.equal(r.state, "done");
    assert.deepEqual(stdout(r), cpython("sleep-dots"));
    assert.ok(r.finishedAt >= 1100 && r.finishedAt < 3000, `loop time ${r.finishedAt}`);
    const dots = r.summary.find((l) => l.name === "dots");
    assert.equal(dots?.outcome, "cancelled");
    await page.close();
  });

  test("the playground's build: deep recursion works and unbounded recursion raises RecursionError, as in CPython", async () => {
    // The corpus's recursion program on the module as the playground builds it (std built for
    // size, panics that trap at once, wasm-opt -Os): its frames must still fit the browser's
    // recursion limit (500), every shape of runaway recursion a RecursionError, never a trap.
    const file = fileURLToPath(new URL("../../../python/tests/corpus/recursion_depth.py", import.meta.url));
    const expected = execFileSync("python3", [file], { encoding: "utf8" }).split("\n").slice(0, -1);
    assert.equal(expected.length, 7);
    const page = await open(ctx, env.url, "?lang=python");
    await page.evaluate((c) => (window.playground.editor.code = c), readFileSync(file, "utf8"));
    const r = await runProgram(page, "virtual");
    assert.equal(r.state, "done", JSON.stringify(r.console));
    assert.deepEqual(errorsOf(r), []);
    assert.deepEqual(stdout(r), expected);
    await page.close();
  });

  test("an uncaught exception shows its traceback and its line", async () => {
    const page = await open(ctx, env.url, "?lang=python");
    const code = [
      "import asyncio",
      "",
      "async def main():",
      "    print('before')",
      "    await asyncio.sleep(0.1)",
      "    return {}['missing']",
      "",
      "asyncio.run(main())",
    ].join("\n");
    await page.evaluate((c) => (window.playground.editor.code = c), code);
    const r = await runProgram(page, "virtual");
    assert.equal(r.state, "error");
    assert.deepEqual(stdout(r), ["before"]);
    const err = stderr(r);
    assert.equal(err[0], "Traceback (most recent call last):");
    assert.ok(err.includes('  File "main.py", line 6, in main'), err.join("\n"));
    assert.equal(err[err.length - 1], "KeyError: 'missing'");
    const errors = errorsOf(r);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].text, "Uncaught KeyError: 'missing'");
    assert.equal(errors[0].line, 6);
    const selected = await page.evaluate(() => {
      const s = window.playground.editor.selection();
      return window.playground.editor.lineAt(s.from);
    });
    assert.equal(selected, 6, "the error's line is selected in the editor");
    const main = r.summary.find((l) => l.name === "main");
    assert.equal(main?.outcome, "error");
    await page.close();
  });

  test("Stop ends an endless `while True:` loop; the next run works", async () => {
    const page = await open(ctx, env.url, "?lang=python");
    // The loop says once that it has been looping for a while, then spins without a word.
    const code = "print('spinning')\nn = 0\nwhile True:\n    n += 1\n    if n == 10_000:\n        print('looped', n)\n";
    await page.evaluate((c) => (window.playground.editor.code = c), code);
    await page.selectOption("#mode", "realtime");
    await page.click("#run");
    await page.waitForFunction(() => window.playground.console().some((l) => l.text === "looped 10000"));
    assert.equal(await page.evaluate(() => window.playground.state), "running");
    await page.click("#stop");
    await page.waitForFunction(() => window.playground.state === "stopped");
    await page.evaluate((c) => (window.playground.editor.code = c), "print('again', 6 * 7)\n");
    const r = await runProgram(page, "realtime");
    assert.equal(r.state, "done");
    assert.deepEqual(stdout(r), ["again 42"]);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test("a shared Python link round-trips and does not run by itself", async () => {
    const page = await open(ctx, env.url);
    await page.selectOption("#language", "python");
    const code =
      "import asyncio\n\nasync def main():\n    await asyncio.sleep(2)\n    print('RAN', 'ünïcode ✓')\n\nasyncio.run(main())\n";
    await page.evaluate((c) => (window.playground.editor.code = c), code);
    await page.selectOption("#mode", "virtual");
    await page.click("#share");
    await page.waitForSelector("#share-dialog[open]");
    const link = await page.inputValue("#share-url");
    await page.close();

    const shared = await ctx.newPage();
    await shared.goto(link);
    await shared.waitForFunction(() => window.playground?.editor.code.includes("RAN"));
    assert.equal(await shared.evaluate(() => window.playground.editor.code), code);
    assert.equal(await shared.evaluate(() => window.playground.language), "python");
    assert.equal(await shared.inputValue("#language"), "python");
    await assertNothingRan(shared);
    await shared.click("#run");
    await shared.waitForFunction(() => window.playground.state === "done");
    const r = await shared.evaluate(() => ({
      finishedAt: window.playground.finishedAt,
      console: window.playground.console(),
    }));
    assert.deepEqual(stdout(r), ["RAN ünïcode ✓"]);
    assert.equal(r.finishedAt, 2000);
    await shared.close();
  });

  test("Python's front end is loaded only when a Python program runs; the interpreter is in the one wasm module", async () => {
    const { page, bodies, recorded } = await openFirstLoad(env);
    const isPy = (u) => /\/assets\/python-/.test(u);
    assert.deepEqual(
      [...bodies.keys()].filter(isPy),
      [],
      "JavaScript's first load fetches nothing of Python's front end",
    );
    // The one wasm module (the npm package's bindings and the interpreter over one wasio runtime)
    // came with the JavaScript first load: a Python run fetches no second runtime.
    const wasm = [...bodies.keys()].filter((u) => u.endsWith(".wasm"));
    assert.equal(wasm.length, 1, `one wasm module (${wasm})`);
    const jsOnly = new Set(bodies.keys());
    await page.selectOption("#language", "python");
    const r = await runProgram(page, "virtual");
    await recorded();
    assert.equal(r.state, "done");
    const size = (urls) =>
      urls.reduce(
        (a, u) => {
          const b = bodies.get(u);
          return { raw: a.raw + b.length, gz: a.gz + gzipSync(b, { level: 9 }).length };
        },
        { raw: 0, gz: 0 },
      );
    const added = [...bodies.keys()].filter((u) => !jsOnly.has(u));
    assert.ok(added.length > 0 && added.every(isPy), `a Python run adds only Python's front end (${added})`);
    assert.ok(!added.some((u) => u.endsWith(".wasm")), "and no wasm");
    const py = size(added);
    const all = size([...bodies.keys()]);
    const report = { pythonFrontEnd: py, oneModule: size(wasm), firstLoadWithPython: all, budgetGz: 400_000 };
    writeFileSync(join(artifacts, "python-load.json"), JSON.stringify(report, null, 2));
    console.log(
      `# Python's front end: ${py.raw} B raw, ${py.gz} B gz; the one wasm module ${report.oneModule.gz} B gz; first load with Python: ${all.raw} B raw, ${all.gz} B gz (budget 400,000 B gz)`,
    );
    await page.close();
  });
});
