/** Small form controls shared by the editor sections. */
import { Box, Checkbox, Input, Select, Text, type Option } from "@saleor/macaw-ui";
import type { ReactNode } from "react";

export function TextField({
  label,
  value,
  onChange,
  error,
  helperText,
  type = "text",
  name,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  helperText?: ReactNode;
  type?: "text" | "number" | "datetime-local";
  name: string;
}) {
  return (
    <Input
      label={label}
      name={name}
      type={type}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      error={Boolean(error)}
      helperText={error ?? helperText}
      data-testid={`field-${name}`}
      aria-invalid={Boolean(error)}
    />
  );
}

export function SelectField<T extends string>({
  label,
  value,
  options,
  onChange,
  name,
}: {
  label: string;
  value: T;
  options: { value: T; label: string }[];
  onChange: (value: T) => void;
  name: string;
}) {
  const selected = options.find((option) => option.value === value) ?? null;
  return (
    <Select<Option, Option>
      label={label}
      options={options}
      value={selected}
      onChange={(option) => onChange(option.value as T)}
      data-testid={`field-${name}`}
    />
  );
}

export function CheckField({ label, checked, onChange, name }: { label: string; checked: boolean; onChange: (checked: boolean) => void; name: string }) {
  return (
    <Checkbox checked={checked} onCheckedChange={(value) => onChange(value === true)} data-testid={`field-${name}`}>
      <Text size={3}>{label}</Text>
    </Checkbox>
  );
}

export function FieldMessage({ error, id }: { error?: string; id?: string }) {
  if (!error) return null;
  return (
    <Text size={2} color="critical1" role="alert" id={id} data-testid={id}>
      {error}
    </Text>
  );
}

export function Grid({ children, columns = 2 }: { children: ReactNode; columns?: 1 | 2 | 3 }) {
  return (
    <Box display="grid" gap={4} __gridTemplateColumns={`repeat(${columns}, minmax(0, 1fr))`}>
      {children}
    </Box>
  );
}
