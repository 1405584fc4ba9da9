import { useTranslation } from "react-i18next";
import type { ProblemStatus } from "./problems-api.ts";

export function ProblemStatusBadge({ status }: { status: ProblemStatus }) {
  const { t } = useTranslation();
  return <span className={`badge problem-${status}`}>{t(`problems.status.${status}`)}</span>;
}
