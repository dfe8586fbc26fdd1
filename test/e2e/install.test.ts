/**
 * Issue 12: hbsim installs into a user's project from its tarball and works there, with
 * @temporalio/activity absent (the native API must not need it). The variant with the SDK
 * installed, and other Node versions, run in `npm run soak` (test/soak/install.soak.ts).
 */
import { describeInstall } from './install-suite.js';

// libCheck: hbsim's declaration files are type-checked too (skipLibCheck off), as a user's
// strict tsconfig does: they must not reach a dependency's types that need packages users lack.
describeInstall({ temporal: false, libCheck: true });
