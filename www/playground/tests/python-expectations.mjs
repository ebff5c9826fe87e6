// The Python gallery examples' timelines on the virtual clock (their console output is compared
// with CPython's, which the test runs on the same files). lanes: task name (create_task's name=,
// "main" for the module body) → wait reasons it must show and how it ended.
export const pythonExpectations = {
  "sleep-dots": {
    lanes: { main: { reasons: ["sleep"], outcome: "complete" }, dots: { reasons: ["sleep"], outcome: "cancelled" } },
    loopTime: 1100,
  },
  "create-task-wait-for": {
    lanes: {
      main: { reasons: ["task"], outcome: "complete" },
      alpha: { reasons: ["sleep"], outcome: "complete" },
      beta: { reasons: ["sleep"], outcome: "complete" },
    },
  },
  "wait-timeout": {
    lanes: {
      main: { outcome: "complete" },
      job1: { reasons: ["sleep"], outcome: "complete" },
      job9: { reasons: ["sleep"], outcome: "cancelled" },
    },
    loopTime: 600,
  },
  "echo-mem": { lanes: { main: { reasons: ["read"], outcome: "complete" } } },
  "producer-consumer": {
    lanes: {
      producer: { reasons: ["queue_put"], outcome: "complete" },
      c1: { reasons: ["queue_get", "sleep"], outcome: "cancelled" },
      c2: { reasons: ["queue_get", "sleep"], outcome: "cancelled" },
      main: { reasons: ["queue_join"], outcome: "complete" },
    },
    wakes: ["c1 -> producer"],
  },
  locks: {
    lanes: {
      main: { reasons: ["task"], outcome: "complete" },
      w0: { reasons: ["sleep"], outcome: "complete" },
      w1: { reasons: ["lock"], outcome: "complete" },
      w2: { reasons: ["lock"], outcome: "complete" },
    },
    wakes: ["w0 -> w1"],
    loopTime: 600,
  },
  events: {
    lanes: {
      waiter0: { reasons: ["event"], outcome: "complete" },
      waiter2: { reasons: ["event"], outcome: "complete" },
    },
    wakes: ["main -> waiter0"],
    loopTime: 500,
  },
  conditions: {
    lanes: {
      c0: { reasons: ["condition"], outcome: "complete" },
      producer: { reasons: ["sleep"], outcome: "complete" },
    },
  },
  semaphores: {
    lanes: {
      download0: { reasons: ["sleep"], outcome: "complete" },
      download4: { reasons: ["semaphore"], outcome: "complete" },
    },
    loopTime: 900,
  },
  taskgroup: {
    lanes: {
      main: { reasons: ["task"], outcome: "complete" },
      work1: { reasons: ["sleep"], outcome: "complete" },
      work3: { reasons: ["sleep"], outcome: "error" },
      work9: { reasons: ["sleep"], outcome: "cancelled" },
    },
    loopTime: 300,
  },
  timeouts: { lanes: { main: { reasons: ["sleep"], outcome: "complete" } }, loopTime: 800 },
  "rate-limiter": {
    lanes: {
      refill: { reasons: ["sleep"], outcome: "cancelled" },
      client6: { reasons: ["queue_get"], outcome: "complete" },
    },
    loopTime: 1250,
  },
  pipeline: {
    lanes: {
      source: { reasons: ["sleep"], outcome: "complete" },
      square: { reasons: ["sleep"], outcome: "complete" },
      sink: { reasons: ["queue_get"], outcome: "complete" },
    },
    wakes: ["square -> sink"],
  },
};
