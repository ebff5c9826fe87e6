// End-to-end tests of the playground in real headless Chromium (see tests/browser.mjs).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { writeFileSync } from "node:fs";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  artifacts,
  assertNothingRan,
  errorsOf,
  open,
  openFirstLoad,
  runProgram,
  setup,
  started,
  stderr,
  stdout,
} from "./browser.mjs";
import { expectations } from "./expectations.mjs";

let env;
let ctx;
before(async () => {
  env = await setup();
  ctx = await env.context();
});
after(async () => env?.close());

const shot = (page, name) => page.locator(".timeline-pane").screenshot({ path: join(artifacts, `${name}.png`) });

describe("gallery", () => {
  test("the gallery lists every example the tests expect", async () => {
    const page = await open(ctx, env.url);
    const ids = await page.evaluate(() => window.playground.examples());
    assert.deepEqual([...ids].sort(), Object.keys(expectations).sort());
    await page.close();
  });

  for (const [id, want] of Object.entries(expectations)) {
    test(`${id}: console output and timeline on the virtual clock`, async () => {
      const page = await open(ctx, env.url, `?example=${id}`);
      const r = await runProgram(page, "virtual");
      await shot(page, `example-${id}`);
      assert.deepEqual(errorsOf(r), [], "no uncaught errors");
      assert.equal(r.state, "done");
      assert.deepEqual(stdout(r), want.stdout, "stdout");
      assert.deepEqual(stderr(r), want.stderr ?? [], "stderr");
      const failed = r.console.filter((l) => l.stream === "info" && / failed: /.test(l.text)).map((l) => l.text);
      assert.deepEqual(failed, want.taskErrors ?? [], "failed tasks reported");
      if (want.loopTime !== undefined) assert.equal(r.finishedAt, want.loopTime, "loop time at the end");
      // By name, the program's own lanes first: the package's own task named "main" (not the
      // program's, under "wasio's tasks") must not hide the program's main.
      const lanes = new Map(
        [...r.summary.filter((l) => !l.own), ...r.summary.filter((l) => l.own)].map((l) => [l.name, l]),
      );
      const edges = await page.evaluate(() => {
        const m = window.playground.model();
        const name = new Map(m.lanes.map((l) => [l.task, l.name]));
        return m.edges.filter((e) => e.kind === "wake").map((e) => `${name.get(e.from)} -> ${name.get(e.to)}`);
      });
      for (const edge of want.wakes ?? []) assert.ok(edges.includes(edge), `a wake edge ${edge} (edges: ${edges})`);
      for (const [name, lane] of Object.entries(want.lanes)) {
        const got = lanes.get(name);
        assert.ok(got, `a lane named '${name}' (lanes: ${[...lanes.keys()].join(", ")})`);
        assert.ok(got.states.includes("running"), `${name} ran`);
        for (const reason of lane.reasons ?? [])
          assert.ok(got.reasons.includes(reason), `${name} waited on ${reason} (reasons: ${got.reasons.join(", ")})`);
        if (lane.outcome) assert.equal(got.outcome, lane.outcome, `${name}'s outcome`);
        for (const mark of lane.marks ?? []) assert.ok(got.marks.includes(mark), `${name} has a ${mark} mark`);
        if (lane.line) assert.equal(got.line, lane.line, `${name} spawned at line ${lane.line}`);
      }
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  }
});

describe("running", () => {
  test("the virtual clock finishes a 10 s program at once; the timeline shows the 10 s", async () => {
    const page = await open(ctx, env.url);
    await page.evaluate(() => {
      window.playground.editor.code = [
        "import { spawn, sleep } from 'wasio';",
        "const t = spawn(async (signal) => { await sleep(10_000, { signal }); console.log('woke'); }, { name: 'sleeper' });",
        "await t;",
      ].join("\n");
    });
    const started = Date.now();
    const r = await runProgram(page, "virtual");
    const wall = Date.now() - started;
    assert.deepEqual(stdout(r), ["woke"]);
    assert.ok(r.finishedAt >= 10_000, `loop time ${r.finishedAt} ms`);
    assert.ok(wall < 5_000, `finished in ${wall} ms of wall time`);
    // The timer's row: hovering its mark tells the deadline.
    const markX = await page.evaluate(() => {
      const v = window.playground.view;
      v.measure();
      const m = v.loopMarks.find((k) => k.kind === "timer");
      return v.pos(m.time, m.seq);
    });
    const box = await page.locator("#timeline").boundingBox();
    await page.mouse.move(box.x + markX, box.y + 24);
    assert.match(await page.textContent("#tip"), /loop: timer armed at .*deadline 10 s/);
    // Step back through the events: the scrub cursor rebuilds the model from a prefix.
    await page.focus("#timeline");
    await page.keyboard.press("Home");
    assert.match(await page.textContent("#scrub-pos"), /^event 0\//);
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    assert.match(await page.textContent("#scrub-pos"), /^event 2\//);
    assert.match(await page.textContent("#details"), /^#2 at /);
    await page.keyboard.press("End");
    const sleeper = r.summary.find((l) => l.name === "sleeper");
    assert.ok(sleeper.reasons.includes("sleep"), JSON.stringify(sleeper));
    await page.close();
  });

  test("real time: the timeline is drawn while the program runs", async () => {
    const page = await open(ctx, env.url);
    await page.evaluate(() => {
      window.playground.editor.code = [
        "import { spawn, sleep, Event } from 'wasio';",
        "const never = new Event();",
        "const w = spawn(async (signal) => { await never.wait({ signal }); }, { name: 'waiter' });",
        "await sleep(20);",
        "console.log('still running');",
        "await w; // never returns: the test sees the live timeline, then stops the run",
      ].join("\n");
    });
    await page.selectOption("#mode", "realtime");
    await page.click("#run");
    await page.waitForFunction(() => window.playground.console().some((l) => l.text === "still running"));
    await page.waitForFunction(() =>
      window.playground.summary().some((l) => l.name === "waiter" && l.reasons.length > 0 && l.outcome === null),
    );
    assert.equal(await page.evaluate(() => window.playground.state), "running");
    await shot(page, "realtime-live");
    await page.click("#stop");
    assert.equal(await page.evaluate(() => window.playground.state), "stopped");
    await page.close();
  });

  test("Stop ends an infinite loop; the page stays responsive; the next run works", async () => {
    const page = await open(ctx, env.url);
    await page.evaluate(() => (window.playground.editor.code = "console.log('spinning');\nwhile (true) {}\n"));
    await page.selectOption("#mode", "realtime");
    await page.click("#run");
    await page.waitForFunction(() => window.playground.console().some((l) => l.text === "spinning"));
    // The page thread is free: it answers and repaints while the worker spins.
    const t0 = Date.now();
    assert.equal(await page.evaluate(() => 1 + 1), 2);
    assert.ok(Date.now() - t0 < 2000);
    await page.click("#stop");
    assert.equal(await page.evaluate(() => window.playground.state), "stopped");
    await page.evaluate(() => (window.playground.editor.code = "console.log('after stop');\n"));
    const r = await runProgram(page, "realtime");
    assert.deepEqual(stdout(r), ["after stop"]);
    await page.close();
  });

  test("real time: times count from Run, so a task's outcome and later lines are never before it", async () => {
    const page = await open(ctx, env.url);
    // The worker has been up since the page loaded, so the run's origin (the loop time at Run) is
    // well past the loop's zero; an outcome time taken relative twice would land before Run.
    await page.evaluate(
      () =>
        (window.playground.editor.code =
          "import { spawn } from 'wasio';\nawait spawn(async () => {}, { name: 'quick' });\nconsole.log('after');\n"),
    );
    const r = await runProgram(page, "realtime");
    assert.deepEqual(stdout(r), ["after"]);
    const times = await page.evaluate(() => ({
      start: window.playground.model().start,
      lines: window.playground.console().map((l) => l.time),
    }));
    assert.ok(times.start >= 0, `the timeline starts at Run, not ${times.start} ms`);
    for (const t of times.lines) if (typeof t === "number") assert.ok(t >= 0, `a console line at ${t} ms`);
    assert.equal(r.summary.find((l) => l.name === "quick")?.outcome, "complete");
    await page.close();
  });

  test("Stop ends a program flooding the console; the page stays responsive", async () => {
    const page = await open(ctx, env.url);
    await page.evaluate(() => (window.playground.editor.code = "let i = 0;\nwhile (true) console.log(i++);\n"));
    await page.selectOption("#mode", "realtime");
    await page.click("#run");
    await page.waitForFunction(() => window.playground.console().length > 1000);
    const t0 = Date.now();
    assert.equal(await page.evaluate(() => 1 + 1), 2);
    assert.ok(Date.now() - t0 < 2000, "the page answers while the flood goes on");
    await page.click("#stop");
    assert.equal(await page.evaluate(() => window.playground.state), "stopped");
    assert.ok((await page.locator("#console .line").count()) <= 1000, "the console keeps a bounded number of lines");
    await page.close();
  });

  test("a run of endless timers on the virtual clock fills the timeline to its cap; the page stays responsive", async () => {
    const page = await open(ctx, env.url);
    await page.evaluate(() => {
      window.playground.editor.code = [
        "import { spawn, sleep } from 'wasio';",
        "await spawn(async (signal) => { for (;;) await sleep(1000, { signal }); }, { name: 'forever' });",
      ].join("\n");
    });
    await page.selectOption("#mode", "virtual");
    await page.click("#run");
    await page.waitForFunction(() => window.playground.model().events.length >= 199_000, null, { timeout: 60_000 });
    const t0 = Date.now();
    assert.equal(await page.evaluate(() => window.playground.state), "running");
    assert.ok(Date.now() - t0 < 2000, "the page answers");
    assert.ok(
      await page.evaluate(() =>
        window.playground.console().some((l) => /trace events; the timeline stops/.test(l.text)),
      ),
    );
    await shot(page, "endless-timers");
    await page.click("#stop");
    assert.equal(await page.evaluate(() => window.playground.state), "stopped");
    await page.close();
  });

  test("uncaught errors show their line; stderr is told from stdout", async () => {
    const page = await open(ctx, env.url);
    await page.evaluate(() => {
      window.playground.editor.code = "console.log('out');\nconsole.error('err');\n\nthrow new RangeError('boom');\n";
    });
    const r = await runProgram(page, "realtime");
    assert.equal(r.state, "error");
    assert.deepEqual(stdout(r), ["out"]);
    assert.deepEqual(stderr(r), ["err"]);
    const [err] = errorsOf(r);
    assert.match(err.text, /RangeError: boom/);
    assert.equal(err.line, 4);
    // Clicking the line button selects that line in the editor.
    await page.click("#console button.goto");
    const line = await page.evaluate(() => window.playground.editor.lineAt(window.playground.editor.selection().head));
    assert.equal(line, 4);
    await page.close();
  });

  test("a syntax error names its line", async () => {
    const page = await open(ctx, env.url);
    await page.evaluate(
      () => (window.playground.editor.code = "import { sleep } from 'wasio';\nawait sleep(1);\nconst x = ;\n"),
    );
    const r = await runProgram(page, "realtime");
    const [err] = errorsOf(r);
    assert.match(err.text, /SyntaxError/);
    assert.equal(err.line, 3);
    await page.close();
  });

  test("imports resolve where the editor's tokens show them: static, dynamic, re-export; not in strings, comments, regexps", async () => {
    const page = await open(ctx, env.url);
    await page.evaluate(() => {
      window.playground.editor.code = [
        "import { sleep } from 'wasio';",
        'export { spawn } from "wasio";',
        "export * as ns from 'wasio';",
        "import * as t from 'wasio/testing';",
        "const w = await import('wasio');",
        "/* import 'lodash' */ const re = /from 'lodash'/, s = `${import.meta.url ? '' : ''}import 'lodash'`;",
        "console.log(\"import { sleep } from 'wasio'\", typeof w.spawn, typeof t.runSimulated);",
        "await sleep(1); // import 'wasio'",
      ].join("\n");
    });
    const r = await runProgram(page, "virtual");
    assert.deepEqual(errorsOf(r), []);
    assert.deepEqual(stdout(r), ["import { sleep } from 'wasio' function function"]);
    // A module the playground does not provide is named, with its line.
    await page.evaluate(() => (window.playground.editor.code = "const a = 1;\nimport _ from 'lodash';\n"));
    const bad = await runProgram(page, "virtual");
    const [err] = errorsOf(bad);
    assert.match(err.text, /Cannot import 'lodash'/);
    assert.equal(err.line, 2);
    await page.close();
  });

  test("a program that parses but does not link: the error, no line, and the page never runs it", async () => {
    // The line of a SyntaxError is looked up by loading the program as a module on the page
    // (syntax-error.ts); one that parses must never run there.
    const page = await open(ctx, env.url);
    await page.evaluate(
      () => (window.playground.editor.code = "import { nope } from 'wasio';\ndocument.title = 'RAN ON THE PAGE';\n"),
    );
    const title = await page.title();
    const r = await runProgram(page, "realtime");
    assert.equal(r.state, "error");
    const [err] = errorsOf(r);
    assert.match(err.text, /SyntaxError.*nope/);
    assert.equal(err.line, undefined);
    assert.equal(await page.title(), title);
    await page.close();
  });
});

describe("editor", () => {
  /** The color of each token span in the editor, by its text (the first span with that text). */
  const tokenColors = (page) =>
    page.evaluate(() => {
      const colors = { "": getComputedStyle(document.querySelector(".cm-content")).color };
      for (const el of document.querySelectorAll(".cm-content .cm-line span")) {
        const text = el.textContent;
        if (!(text in colors)) colors[text] = getComputedStyle(el).color;
      }
      return colors;
    });

  test("highlights JavaScript and Python: keywords, strings, comments, numbers apart from plain text", async () => {
    const page = await open(ctx, env.url);
    const js = ["import { sleep } from 'wasio';", "// a comment", "const n = 42;", "await sleep(n);"].join("\n");
    await page.evaluate((c) => (window.playground.editor.code = c), js);
    let c = await tokenColors(page);
    const plain = c[""];
    for (const t of ["import", "'wasio'", "// a comment", "const", "42"]) {
      assert.ok(t in c, `JavaScript: ${JSON.stringify(t)} is a highlighted token (${JSON.stringify(c)})`);
      assert.notEqual(c[t], plain, `JavaScript: ${JSON.stringify(t)} is not plain text`);
    }
    assert.notEqual(c.import, c["'wasio'"]);
    assert.notEqual(c["'wasio'"], c["// a comment"]);
    await page.selectOption("#language", "python");
    const py = [
      "import asyncio",
      "# a comment",
      "async def main():",
      "    await asyncio.sleep(0.5)",
      "    print('done')",
    ].join("\n");
    await page.evaluate((c) => (window.playground.editor.code = c), py);
    // Python's highlighting is loaded when Python is picked.
    await page.waitForFunction(() =>
      [...document.querySelectorAll(".cm-content .cm-line span")].some((el) => el.textContent === "def"),
    );
    c = await tokenColors(page);
    for (const t of ["import", "async", "def", "await", "'done'", "# a comment", "0.5"]) {
      assert.ok(t in c, `Python: ${JSON.stringify(t)} is a highlighted token (${JSON.stringify(c)})`);
      assert.notEqual(c[t], plain, `Python: ${JSON.stringify(t)} is not plain text`);
    }
    assert.notEqual(c.def, c["'done'"]);
    await page.locator("#editor").screenshot({ path: join(artifacts, "editor-python.png") });
    await page.close();
  });

  test("typing closes brackets and quotes, steps over the closing one, and Backspace deletes an empty pair", async () => {
    const page = await open(ctx, env.url);
    await page.evaluate(() => (window.playground.editor.code = ""));
    await page.click(".cm-content");
    const state = () =>
      page.evaluate(() => ({ doc: window.playground.editor.code, at: window.playground.editor.selection().head }));
    await page.keyboard.type("log(");
    assert.deepEqual(await state(), { doc: "log()", at: 4 });
    await page.keyboard.type("'a");
    assert.deepEqual(await state(), { doc: "log('a')", at: 6 });
    await page.keyboard.type("')");
    assert.deepEqual(await state(), { doc: "log('a')", at: 8 });
    // Not before a word: "don't" gets one quote.
    await page.keyboard.type(" don't");
    assert.deepEqual(await state(), { doc: "log('a') don't", at: 14 });
    await page.keyboard.type(" [");
    assert.deepEqual(await state(), { doc: "log('a') don't []", at: 16 });
    await page.keyboard.press("Backspace");
    assert.deepEqual(await state(), { doc: "log('a') don't ", at: 15 });
    // Undo takes a typed pair back whole (CodeMirror's history groups it with the typing before).
    await page.keyboard.type("{");
    assert.deepEqual(await state(), { doc: "log('a') don't {}", at: 16 });
    await page.keyboard.press("Control+z");
    const undone = await state();
    assert.ok(!/[{}]/.test(undone.doc), `no half of the pair is left: ${JSON.stringify(undone)}`);
    await page.close();
  });
});

describe("timeline", () => {
  test("click and keyboard select a task and its code", async () => {
    const page = await open(ctx, env.url, "?example=locks");
    const r = await runProgram(page, "virtual");
    const lanes = r.summary;
    assert.ok(lanes.length >= 3);
    await page.focus("#timeline");
    await page.keyboard.press("ArrowDown");
    const sel = await page.evaluate(() => window.playground.view.selected);
    const lane = lanes.find((l) => l.task === sel);
    assert.ok(lane, "a lane is selected");
    const line = await page.evaluate(() => window.playground.editor.lineAt(window.playground.editor.selection().head));
    assert.ok(line > 1, `the editor selection moved to the task's code (line ${line})`);
    // Hover shows details of what is under the pointer.
    const box = await page.locator("#timeline").boundingBox();
    await page.mouse.move(box.x + 60, box.y + 26 + 12);
    assert.match(await page.textContent("#tip"), /task \d+/);
    // Clicking a waiting span selects the line that started the wait.
    const target = await page.evaluate(() => {
      const v = window.playground.view;
      v.measure();
      const lanes = v.lanes();
      for (let i = 0; i < lanes.length; i++)
        for (const s of lanes[i].spans)
          if (s.reason === "lock" && s.line) {
            const x0 = v.pos(s.start, s.seqStart);
            const x1 = v.pos(s.end, s.seqEnd);
            if (x1 - x0 > 6) return { x: (x0 + x1) / 2, row: i, line: s.line };
          }
      return null;
    });
    assert.ok(target, "a lock wait with its line");
    const tbox = await page.locator("#timeline").boundingBox();
    await page.mouse.click(tbox.x + target.x, tbox.y + 36 + target.row * 24 + 12);
    const waitLine = await page.evaluate(() =>
      window.playground.editor.lineAt(window.playground.editor.selection().head),
    );
    assert.equal(waitLine, target.line);
    const text = await page.evaluate((l) => window.playground.editor.code.split("\n")[l - 1], waitLine);
    assert.match(text, /lock\.acquire/);
    // The same lanes as a table, opened from the keyboard.
    await page.focus("#lane-table summary");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelectorAll("#lane-table tbody tr").length > 0);
    const rows = await page.locator("#lane-table tbody tr").allTextContents();
    assert.equal(rows.length, lanes.filter((l) => l.own).length);
    assert.ok(rows.some((r) => r.startsWith("alice (task")));
    // Zoom changes the visible window.
    const before = await page.evaluate(() => window.playground.view.window());
    await page.click("#zoom-in");
    const zoomed = await page.evaluate(() => window.playground.view.window());
    assert.ok(zoomed[1] - zoomed[0] < before[1] - before[0]);
    await page.close();
  });

  test("the trace exports as Chrome trace / Perfetto JSON", async () => {
    const page = await open(ctx, env.url, "?example=producer-consumer");
    const r = await runProgram(page, "virtual");
    const download = page.waitForEvent("download");
    await page.click("#export");
    const file = await (await download).path();
    const trace = JSON.parse(readFileSync(file, "utf8"));
    const names = trace.traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name").map((e) => e.args.name);
    assert.deepEqual(names.sort(), r.summary.map((l) => l.name).sort());
    assert.ok(trace.traceEvents.some((e) => e.ph === "X" && e.name.startsWith("waiting: ")));
    assert.ok(trace.traceEvents.some((e) => e.ph === "X" && e.name === "waiting: queue_get"));
    // Wake edges as flow events: each start has its finish.
    const starts = trace.traceEvents.filter((e) => e.ph === "s").map((e) => e.id);
    const ends = trace.traceEvents.filter((e) => e.ph === "f").map((e) => e.id);
    assert.ok(starts.length > 0);
    assert.deepEqual(starts.sort(), ends.sort());
    for (const e of trace.traceEvents.filter((e) => e.ph === "X")) assert.ok(e.dur >= 0 && Number.isFinite(e.ts));
    writeFileSync(join(artifacts, "producer-consumer.trace.json"), JSON.stringify(trace));
    await page.close();
  });
});

describe("share and embed", () => {
  test("a shared link round-trips code and settings and does not run by itself", async () => {
    const page = await open(ctx, env.url);
    const code = "import { sleep } from 'wasio';\nconsole.log('RAN ' + 'ünïcode ✓');\nawait sleep(5);\n";
    await page.evaluate((c) => (window.playground.editor.code = c), code);
    await page.selectOption("#mode", "virtual");
    await page.click("#share");
    await page.waitForSelector("#share-dialog[open]");
    const link = await page.inputValue("#share-url");
    assert.match(link, /#s=[A-Za-z0-9_-]+$/);
    await page.close();

    const shared = await ctx.newPage();
    await shared.goto(link);
    await shared.waitForFunction(() => window.playground?.editor.code.includes("RAN"));
    assert.equal(await shared.evaluate(() => window.playground.editor.code), code);
    assert.equal(await shared.inputValue("#mode"), "virtual");
    await assertNothingRan(shared);
    await shared.click("#run");
    await shared.waitForFunction(() => window.playground.state === "done");
    assert.deepEqual(
      await shared.evaluate(() =>
        window.playground
          .console()
          .filter((l) => l.stream === "stdout")
          .map((l) => l.text),
      ),
      ["RAN ünïcode ✓"],
    );
    await shared.close();
  });

  test("a damaged share link is ignored: the page opens with the first example", async () => {
    const page = await open(ctx, env.url, "#s=not-gzip-at-all");
    await started(page); // the link was read and found damaged
    const code = await page.evaluate(() => window.playground.editor.code);
    assert.match(code, /Sleep with dots/);
    assert.equal(await page.evaluate(() => window.playground.state), "idle");
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test("?embed shows editor, Run and timeline without the gallery", async () => {
    const page = await open(ctx, env.url, "?embed&example=events");
    assert.equal(await page.isVisible("#example"), false);
    assert.equal(await page.isVisible("#share"), false);
    assert.equal(await page.isVisible("#open-full"), true);
    const r = await runProgram(page, "virtual");
    assert.equal(r.state, "done");
    assert.ok(r.summary.length >= 4);
    await page.screenshot({ path: join(artifacts, "embed.png") });
    await page.close();
  });
});

describe("offline, size, access", () => {
  // The issue's budget: 400 KB gz for everything a visit downloads (editor, runtime, UI and the
  // Python interpreter), counted here as 400,000 B (not 400 KiB) of gzip -9 per file, for a visit
  // that uses both languages. first-load.json has the figures by file.
  const BUDGET = 400_000;
  test("first load of a visit that uses both languages: at most 400 KB gz; time to interactive", async () => {
    const { page, bodies, recorded, tti } = await openFirstLoad(env);
    const jsOnly = new Set(bodies.keys());
    // Every file of the build that a JavaScript run needs came in that load (nothing lazy is missed).
    const dist = fileURLToPath(new URL("../dist/assets", import.meta.url));
    const built = readdirSync(dist).filter((f) => statSync(join(dist, f)).isFile());
    const pythonOnly = (f) => /^python-/.test(f); // the Python front end and its highlighting
    for (const f of built.filter((f) => !pythonOnly(f)))
      assert.ok(
        [...jsOnly].some((u) => u.endsWith(f)),
        `${f} loaded`,
      );
    // The same visit then runs Python: what that adds counts too.
    await page.selectOption("#language", "python");
    const r = await runProgram(page, "virtual");
    await recorded();
    assert.equal(r.state, "done");
    assert.deepEqual(errorsOf(r), []);
    let raw = 0;
    let gz = 0;
    const rows = [];
    for (const [u, b] of bodies) {
      const g = gzipSync(b, { level: 9 }).length;
      raw += b.length;
      gz += g;
      rows.push({ url: u.replace(env.url, "/"), raw: b.length, gz: g, python: !jsOnly.has(u) });
    }
    for (const f of built)
      assert.ok(
        rows.some((r) => r.url.endsWith(f)),
        `${f} loaded`,
      );
    const js = rows.filter((r) => !r.python).reduce((a, r) => a + r.gz, 0);
    const report = {
      tti_ms: Math.round(tti),
      raw,
      gz,
      javascriptOnlyGz: js,
      budgetGz: BUDGET,
      files: rows,
    };
    writeFileSync(join(artifacts, "first-load.json"), JSON.stringify(report, null, 2));
    console.log(
      `# first load with both languages: ${rows.length} files, ${raw} B raw, ${gz} B gz (JavaScript alone ${js} B gz; ${gz > BUDGET ? `${gz - BUDGET} B gz over` : "within"} the ${BUDGET} B budget); interactive at ${Math.round(tti)} ms`,
    );
    assert.ok(gz <= BUDGET, `first load ${gz} B gz, over the ${BUDGET} B budget`);
    await page.close();
  });

  test("the page reloads and runs offline after a first visit", async () => {
    const fresh = await env.context();
    const page = await fresh.newPage();
    await page.goto(env.url + "?example=semaphores");
    await page.waitForFunction(() => window.playground?.state === "idle", null, { timeout: 30_000 });
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 10_000 });
    await fresh.setOffline(true);
    await page.reload();
    await page.waitForFunction(() => window.playground?.state === "idle", null, { timeout: 30_000 });
    const r = await runProgram(page, "virtual");
    assert.equal(r.state, "done");
    assert.ok(stdout(r).length > 0);
    await fresh.setOffline(false);
    await page.close();
  });

  test("readable at 200% zoom: no horizontal scrolling, controls reachable", async () => {
    const page = await open(ctx, env.url, "?example=pipeline");
    await page.setViewportSize({ width: 640, height: 450 }); // a 1280×900 window at 200%
    await runProgram(page, "virtual");
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
    for (const id of ["#run", "#stop", "#mode", "#timeline"]) assert.ok(await page.isVisible(id), id);
    await page.screenshot({ path: join(artifacts, "zoom-200.png"), fullPage: true });
    await page.close();
  });

  test("keyboard: Tab reaches Run, Ctrl-Enter in the editor runs", async () => {
    const page = await open(ctx, env.url, "?example=events");
    await page.click(".cm-content");
    await page.keyboard.press("Control+Enter");
    await page.waitForFunction(() => window.playground.state === "done");
    // Focus moves through the toolbar to Run with Tab alone.
    await page.focus("#mode");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.id), "run");
    await page.close();
  });

  test("dark color scheme follows the system", async () => {
    const dark = await env.context({ colorScheme: "dark" });
    const page = await open(dark, env.url, "?example=producer-consumer");
    await runProgram(page, "virtual");
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, "rgb(22, 24, 29)");
    await page.screenshot({ path: join(artifacts, "dark.png"), fullPage: true });
    await page.close();
  });
});
