/** The schema the statements examples share. */
export const STATEMENTS_SCHEMA = `
  CREATE TABLE statements (key text PRIMARY KEY, month text NOT NULL, amount bigint NOT NULL);
  CREATE TABLE job_progress (job text PRIMARY KEY, next_offset int NOT NULL);
`;
