import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** Kysely's view of 021_problems.sql. */
export interface ProblemsTable {
  id: Generated<string>;
  number: Generated<number>;
  title: string;
  description: Generated<string>;
  status: ColumnType<ProblemStatus, ProblemStatus | undefined, ProblemStatus>;
  workaround: string | null;
  owner_id: string | null;
  resolution_message_id: string | null;
  resolution_message_en: string | null;
  resolution_code: string | null;
  solve_linked: Generated<boolean>;
  fixed_at: NullableTimestamp;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export type ProblemStatus = "investigating" | "known_error" | "fixed";

export interface ProblemTicketsTable {
  ticket_id: string;
  problem_id: string;
  linked_by: string | null;
  linked_at: Timestamp;
}

export interface ProblemNoticesTable {
  problem_id: string;
  ticket_id: string;
  message_id: string | null;
  sent_at: Timestamp;
}

export interface ProblemTables {
  problems: ProblemsTable;
  problem_tickets: ProblemTicketsTable;
  problem_notices: ProblemNoticesTable;
}
