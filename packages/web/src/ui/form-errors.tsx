import { useTranslation } from "react-i18next";
import { ApiError, fieldErrorsOf } from "../lib/api.ts";
import { errorMessage, translateFieldMessage } from "../lib/i18n.ts";
import { Notice } from "./Notice.tsx";

/** Client-side checks first, then the server's field errors, both in the viewer's language. */
export function useFieldErrors(serverError: unknown, clientErrors: Record<string, string> = {}) {
  const { t } = useTranslation();
  const server = fieldErrorsOf(serverError);
  return (path: string): string | undefined => {
    if (clientErrors[path]) return clientErrors[path];
    const msg = server[path];
    return msg ? translateFieldMessage(msg, t) : undefined;
  };
}

/**
 * The form-level message for a failed save: "check the highlighted fields" plus any field
 * error the form has no control for, so nothing is silently dropped.
 */
export function FormError({ error, shownPaths = [] }: { error: unknown; shownPaths?: string[] }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (error instanceof ApiError && error.code === "validation_failed" && error.fieldErrors.length) {
    const others = error.fieldErrors.filter((e) => !shownPaths.includes(e.path.join(".")));
    return (
      <Notice kind="error">
        {t("errors.check_fields")}
        {others.length > 0 && (
          <ul>
            {others.map((e) => (
              <li key={e.path.join(".")}>
                <code>{e.path.join(".")}</code>: {translateFieldMessage(e.message, t)}
              </li>
            ))}
          </ul>
        )}
      </Notice>
    );
  }
  return <Notice kind="error">{errorMessage(error, t)}</Notice>;
}
