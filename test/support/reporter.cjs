// Mocha's spec reporter plus the plain "N passed, N failed" line that CI reads.
const Mocha = require('mocha');

class SpecWithTotals extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const { passes, failures, pending } = runner.stats;
      const skipped = pending ? `, ${pending} skipped` : '';
      console.log(`${passes} passed, ${failures} failed${skipped}`);
    });
  }
}

module.exports = SpecWithTotals;
