import { FieldSet } from "../../../ui/Field.tsx";

type Props = {
  legend: string;
  options: { value: string; label: string }[];
  value: string[];
  onChange: (v: string[]) => void;
};

/** A compact group of checkboxes for a multi-valued condition (none checked = any). */
export function CheckList({ legend, options, value, onChange }: Props) {
  return (
    <FieldSet legend={legend} className="checklist">
      <div className="check-grid">
        {options.map((o) => (
          <label key={o.value} className="checkbox">
            <input
              type="checkbox"
              checked={value.includes(o.value)}
              onChange={(e) => onChange(e.target.checked ? [...value, o.value] : value.filter((x) => x !== o.value))}
            />{" "}
            {o.label}
          </label>
        ))}
      </div>
    </FieldSet>
  );
}
