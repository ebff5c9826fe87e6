/** The examples gallery: the article's examples, then the rest of the toolkit at work. */
import sleepDots from "./sleep-dots.js?raw";
import createTaskWaitFor from "./create-task-wait-for.js?raw";
import waitTimeout from "./wait-timeout.js?raw";
import echoMem from "./echo-mem.js?raw";
import producerConsumer from "./producer-consumer.js?raw";
import locks from "./locks.js?raw";
import events from "./events.js?raw";
import conditions from "./conditions.js?raw";
import semaphores from "./semaphores.js?raw";
import taskgroup from "./taskgroup.js?raw";
import timeouts from "./timeouts.js?raw";
import rateLimiter from "./rate-limiter.js?raw";
import pipeline from "./pipeline.js?raw";
// The same examples as Python asyncio programs (CPython runs each one identically).
const python = import.meta.glob<string>("./py/*.py", { query: "?raw", import: "default", eager: true });

export interface Example {
  id: string;
  title: string;
  about: string;
  code: string;
  /** The example in Python (an ordinary asyncio program). */
  python: string;
  /** What the Python version is about. */
  pythonAbout: string;
  /** A clock the example is best watched on (the user can switch). */
  mode?: "realtime" | "virtual";
}

/** The leading comment (`//` or `#`) as one paragraph. */
function about(code: string, mark = "//"): string {
  const lines = code.split("\n");
  const end = lines.findIndex((l) => !l.startsWith(mark));
  return lines
    .slice(0, end < 0 ? lines.length : end)
    .map((l) => l.slice(mark.length).replace(/^ /, ""))
    .join(" ");
}

const list: [string, string, string][] = [
  ["sleep-dots", "Sleep with dots", sleepDots],
  ["create-task-wait-for", "create_task and wait_for", createTaskWaitFor],
  ["wait-timeout", "wait with a timeout", waitTimeout],
  ["echo-mem", "Echo server and client over mem://", echoMem],
  ["producer-consumer", "Queue: producer/consumer", producerConsumer],
  ["locks", "Locks", locks],
  ["events", "Events", events],
  ["conditions", "Conditions", conditions],
  ["semaphores", "Semaphores", semaphores],
  ["taskgroup", "TaskGroup: a failure cancels siblings", taskgroup],
  ["timeouts", "Timeouts", timeouts],
  ["rate-limiter", "Rate limiter", rateLimiter],
  ["pipeline", "Pipeline of queues", pipeline],
];

export const examples: Example[] = list.map(([id, title, code]) => {
  const py = python[`./py/${id}.py`] ?? "";
  return { id, title, code, about: about(code), python: py, pythonAbout: about(py, "#") };
});

export function exampleById(id: string): Example | undefined {
  return examples.find((e) => e.id === id);
}
