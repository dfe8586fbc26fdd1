import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** CLI tests run bin/hbsim.js, which runs dist/: build it if it is missing (npm test builds it first). */
export default function setup(): void {
  if (!existsSync('dist/app/cli/main.js')) execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
