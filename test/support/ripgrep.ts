// ripgrep for the tests: the locator the server uses, honouring INCIDENT_RIPGREP=off as the server does, so CI can
// run the suite as on a machine without rg. Tests that compare with ripgrep skip without one and say why, except
// under REQUIRE_RIPGREP, where a missing rg is a failure.
import { locateRipgrep, type RipgrepBinary } from '../../mcp-servers/logs/ripgrep/locate';

const choice = locateRipgrep(process.env.INCIDENT_RIPGREP);
let told = false;

/** The binary, or skips the calling test (printing the reason once); throws when REQUIRE_RIPGREP is set. */
export function ripgrepOrSkip(test: Mocha.Context): RipgrepBinary {
  if (choice.binary) return choice.binary;
  if (process.env.REQUIRE_RIPGREP) throw new Error(`REQUIRE_RIPGREP is set but ${choice.reason} (apt-get install ripgrep)`);
  if (!told) {
    told = true;
    console.log(`    (skipping the ripgrep comparisons: ${choice.reason})`);
  }
  return test.skip();
}
