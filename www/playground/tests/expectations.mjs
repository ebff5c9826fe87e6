// What each gallery example prints and what its timeline shows, on the virtual clock.
// lanes: name → { reasons it must have waited on (wasio's wait reasons), outcome, marks }.
// wakes: "waker -> woken" edges: a wake, spawn or cancel made inside a task's poll names that task,
// one made by a task's JS code after an await (event.set(), a put, a release, cancel()) the task
// that code runs for.
// loopTime: the loop clock when the program ends (virtual time, so exact).
const dots = Array(7).fill(".");
export const expectations = {
  "sleep-dots": {
    stdout: ["Waiting 2.5 seconds", ...dots, "done"],
    wakes: ["main -> dots"],
    loopTime: 2500,
    lanes: {
      main: { reasons: ["sleep"], outcome: "complete" },
      dots: { reasons: ["sleep"], outcome: "cancelled", marks: ["spawn", "cancel"] },
    },
  },
  "create-task-wait-for": {
    stdout: ["a after 300 ms", "b after 600 ms", "slow fetch: TimeoutError"],
    wakes: ["main -> slow fetch"],
    loopTime: 1400,
    lanes: {
      main: { reasons: ["timeout"], outcome: "complete" },
      "fetch a": { reasons: ["sleep"], outcome: "complete" },
      "fetch b": { reasons: ["sleep"], outcome: "complete" },
      "slow fetch": { reasons: ["sleep"], outcome: "cancelled" },
    },
  },
  "wait-timeout": {
    stdout: ["done in time: 2, still pending: 1"],
    loopTime: 800,
    lanes: {
      "sleeper 200": { reasons: ["sleep"], outcome: "complete" },
      "sleeper 500": { reasons: ["sleep"], outcome: "complete" },
      "sleeper 1500": { reasons: ["sleep"], outcome: "cancelled" },
    },
  },
  "echo-mem": {
    stdout: ["echoed: hello", "echoed: async", "echoed: world", "server closed"],
    loopTime: 0,
    lanes: {
      main: { reasons: ["listen", "wait_closed"], outcome: "complete" },
      client: { reasons: ["connect", "read", "wait_closed"], outcome: "complete" },
    },
  },
  "producer-consumer": {
    stdout: [
      "producer 1 put 10",
      "producer 2 put 20",
      "producer 1 put 11",
      "producer 2 put 21",
      "consumer 1 handled 10",
      "consumer 2 handled 20",
      "producer 1 put 12",
      "producer 2 put 22",
      "consumer 3 handled 11",
      "consumer 1 handled 21",
      "consumer 2 handled 12",
      "consumer 3 handled 22",
      "all items handled; stopping consumers",
    ],
    wakes: ["producer 1 -> consumer 3", "consumer 3 -> main", "main -> consumer 1", "main -> consumer 3"],
    loopTime: 1300,
    lanes: {
      main: { reasons: ["queue_join"], outcome: "complete" },
      "producer 1": { reasons: ["sleep"], outcome: "complete" },
      "producer 2": { reasons: ["sleep"], outcome: "complete" },
      "consumer 1": { reasons: ["queue_get", "sleep"], outcome: "cancelled" },
      "consumer 2": { reasons: ["queue_get"], outcome: "cancelled" },
      "consumer 3": { reasons: ["queue_get"], outcome: "cancelled" },
    },
  },
  locks: {
    stdout: [
      "alice deposited 10, balance 10",
      "bob deposited 10, balance 20",
      "carol deposited 10, balance 30",
      "alice deposited 10, balance 40",
      "bob deposited 10, balance 50",
      "carol deposited 10, balance 60",
      "final balance 60",
    ],
    wakes: ["alice -> bob", "bob -> carol", "carol -> alice"],
    loopTime: 600,
    lanes: {
      alice: { reasons: ["sleep", "lock"], outcome: "complete" },
      bob: { reasons: ["lock"], outcome: "complete" },
      carol: { reasons: ["lock"], outcome: "complete" },
    },
  },
  events: {
    stdout: ["setting the event", "waiter 1 saw the event", "waiter 2 saw the event", "waiter 3 saw the event"],
    wakes: ["main -> setter", "main -> waiter 1", "setter -> waiter 1", "setter -> waiter 2", "setter -> waiter 3"],
    loopTime: 500,
    lanes: {
      setter: { reasons: ["sleep"], outcome: "complete" },
      "waiter 1": { reasons: ["event"], outcome: "complete" },
      "waiter 2": { reasons: ["event"], outcome: "complete" },
      "waiter 3": { reasons: ["event"], outcome: "complete" },
    },
  },
  conditions: {
    stdout: ["consumer 1 took apple", "consumer 2 took pear"],
    wakes: ["producer -> consumer 1", "producer -> consumer 2"],
    loopTime: 600,
    lanes: {
      producer: { reasons: ["sleep"], outcome: "complete" },
      "consumer 1": { outcome: "complete" },
      "consumer 2": { reasons: ["lock"], outcome: "complete" },
    },
  },
  semaphores: {
    stdout: [
      "download 1 started (1 running)",
      "download 2 started (2 running)",
      "download 3 started (1 running)",
      "download 4 started (2 running)",
      "download 5 started (1 running)",
      "all downloads done",
    ],
    wakes: ["download 1 -> download 3", "download 3 -> download 5"],
    loopTime: 1200,
    lanes: {
      "download 1": { reasons: ["sleep"], outcome: "complete" },
      "download 3": { reasons: ["semaphore", "sleep"], outcome: "complete" },
      "download 5": { reasons: ["semaphore"], outcome: "complete" },
    },
  },
  taskgroup: {
    stdout: ["slow 1000 was cancelled (AbortError)", "slow 2000 was cancelled (AbortError)"],
    stderr: ["group failed: flaky failed"],
    taskErrors: ["'flaky' failed: Error: flaky failed"],
    wakes: ["flaky -> slow 1000", "flaky -> slow 2000"],
    loopTime: 300,
    lanes: {
      flaky: { reasons: ["sleep"], outcome: "error", marks: ["error"] },
      "slow 1000": { reasons: ["sleep"], outcome: "cancelled" },
      "slow 2000": { reasons: ["sleep"], outcome: "cancelled" },
    },
  },
  timeouts: {
    stdout: ["budget 200 ms: TimeoutError", "budget 499 ms: TimeoutError", "budget 1000 ms: job done"],
    wakes: ["main -> job (200 ms budget)", "main -> job (499 ms budget)", "main -> job (1000 ms budget)"],
    loopTime: 1199,
    lanes: {
      "job (200 ms budget)": { reasons: ["sleep"], outcome: "cancelled" },
      "job (499 ms budget)": { reasons: ["sleep"], outcome: "cancelled" },
      "job (1000 ms budget)": { reasons: ["sleep"], outcome: "complete" },
    },
  },
  "rate-limiter": {
    stdout: [
      "request 1 sent",
      "request 2 sent",
      "request 3 sent",
      "request 4 sent",
      "request 5 sent",
      "request 6 sent",
      "all requests sent",
    ],
    wakes: ["refill -> client 2", "refill -> client 6"],
    loopTime: 1250,
    lanes: {
      refill: { reasons: ["sleep"], outcome: "cancelled" },
      "client 6": { reasons: ["queue_get"], outcome: "complete" },
    },
  },
  pipeline: {
    stdout: ["got 1", "got 4", "got 9", "got 16", "got 25", "sum 55"],
    wakes: ["source -> square", "square -> sink"],
    loopTime: 850,
    lanes: {
      source: { reasons: ["sleep", "queue_put"], outcome: "complete" },
      square: { reasons: ["queue_get", "sleep"], outcome: "complete" },
      sink: { reasons: ["queue_get"], outcome: "complete" },
    },
  },
};
