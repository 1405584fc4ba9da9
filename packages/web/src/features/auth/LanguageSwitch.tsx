import { useTranslation } from "react-i18next";
import { changeLanguage } from "../../lib/i18n.ts";
import type { Language } from "../../lib/types.ts";
import { useSession, useUpdateMe } from "./session.ts";

/** The header's language switch: changes the UI at once and saves the choice on the profile. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const updateMe = useUpdateMe();
  const onChange = (lang: Language) => {
    void changeLanguage(lang);
    if (user) updateMe.mutate({ language: lang });
  };
  return (
    <label className="header-control">
      <span className="sr-only">{t("header.language")}</span>
      <select
        aria-label={t("header.language")}
        value={i18n.language === "en" ? "en" : "id"}
        onChange={(e) => onChange(e.target.value as Language)}
      >
        <option value="id" lang="id">
          Bahasa Indonesia
        </option>
        <option value="en" lang="en">
          English
        </option>
      </select>
    </label>
  );
}
