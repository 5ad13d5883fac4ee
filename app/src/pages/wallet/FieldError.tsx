/** A field's error, read out when it appears (role alert), next to the field it is about (`id` for aria-describedby). */
export function FieldError({ id, message }: { id?: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {message}
    </p>
  );
}
