// What each gallery example prints and what its timeline shows, on the virtual clock.
// lanes: name → { reasons it must have waited on, outcome, marks }.
export const expectations = {
  "sleep-dots": {
    stdout: ["Waiting 2.5 seconds", ".", ".", ".", ".", ".", ".", ".", "done"],
    lanes: { dots: { reasons: ["sleep"], outcome: "cancelled", marks: ["spawn", "timer", "cancel"] } },
  },
};
