/**
 * Issue 12, the whole install test: with @temporalio/activity installed next to hbsim (a
 * Temporal-API scenario checked too), and the project's commands run under every Node binary in
 * HBSIM_TEST_NODES (colon-separated paths; default: the Node running the soak), e.g.
 *
 *   HBSIM_TEST_NODES=/usr/bin/node:/opt/node22/bin/node npm run soak -- test/soak/install.soak.ts
 */
import { describeInstall } from '../e2e/install-suite.js';

const nodes = process.env['HBSIM_TEST_NODES']?.split(':').filter((p) => p !== '');
describeInstall({ temporal: true, libCheck: true, ...(nodes && nodes.length > 0 ? { nodes } : {}) });
