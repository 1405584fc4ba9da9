import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Field } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { AdminListPage } from "./AdminList.tsx";
import { FormButtons } from "./TiersPage.tsx";
import { useList, useSave } from "./admin-api.ts";

interface Organization {
  id: string;
  name: string;
  segment: string | null;
  domain: string | null;
  shared_tickets: boolean;
}

/** Customer organisations: the email domain that places customers in them, their segment (SLA policies match on it) and ticket sharing. */
export function OrganizationsPage() {
  const { t } = useTranslation();
  const orgs = useList<Organization>(["organizations"], "/organizations");
  return (
    <AdminListPage
      title={t("adminScreens.nav.organizations")}
      intro={t("adminScreens.organizations.intro")}
      query={orgs}
      addLabel={t("adminScreens.organizations.add")}
      editLabel={t("adminScreens.organizations.edit")}
      columns={[
        { header: t("adminScreens.organizations.name"), cell: (o) => o.name },
        { header: t("adminScreens.organizations.domain"), cell: (o) => o.domain ?? <span className="muted">—</span> },
        {
          header: t("adminScreens.organizations.segment"),
          cell: (o) => (o.segment ? <span className="tag">{o.segment}</span> : <span className="muted">—</span>),
        },
        {
          header: t("adminScreens.organizations.sharing"),
          cell: (o) =>
            o.shared_tickets ? t("adminScreens.organizations.shared") : t("adminScreens.organizations.private"),
        },
      ]}
      rowKey={(o) => o.id}
      rowName={(o) => o.name}
      form={(o, onDone) => <OrganizationForm org={o} onDone={onDone} />}
    />
  );
}

function OrganizationForm({ org, onDone }: { org: Organization | null; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSave<Organization>("/organizations", [["organizations"]]);
  const [name, setName] = useState(org?.name ?? "");
  const [domain, setDomain] = useState(org?.domain ?? "");
  const [segment, setSegment] = useState(org?.segment ?? "");
  const [shared, setShared] = useState(org?.shared_tickets ?? false);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(save.error, clientErrors);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setClientErrors({ name: t("errors.field.required") });
      return;
    }
    setClientErrors({});
    save.mutate(
      {
        id: org?.id,
        body: {
          name: name.trim(),
          domain: domain.trim() || null,
          segment: segment.trim() || null,
          shared_tickets: shared,
        },
      },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit} noValidate className="stack">
      <Field label={t("adminScreens.organizations.name")} error={fieldError("name")} required>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field
        label={t("adminScreens.organizations.domain")}
        hint={t("adminScreens.organizations.domain_hint")}
        error={fieldError("domain")}
      >
        {(p) => <input {...p} value={domain} onChange={(e) => setDomain(e.target.value)} />}
      </Field>
      <Field
        label={t("adminScreens.organizations.segment")}
        hint={t("adminScreens.organizations.segment_hint")}
        error={fieldError("segment")}
      >
        {(p) => <input {...p} value={segment} onChange={(e) => setSegment(e.target.value)} />}
      </Field>
      <label className="checkbox">
        <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />{" "}
        {t("adminScreens.organizations.shared_hint")}
      </label>
      <FormError error={save.error} shownPaths={["name", "domain", "segment"]} />
      <FormButtons pending={save.isPending} onCancel={onDone} />
    </form>
  );
}
