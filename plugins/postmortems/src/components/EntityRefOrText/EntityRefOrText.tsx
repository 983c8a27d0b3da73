import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Typography } from '@material-ui/core';

/**
 * A link to a catalog entity when the value is an entity ref, else the text
 * itself (chat user names and system actors are not entities).
 */
export const EntityRefOrText = ({
  value,
  defaultKind,
}: {
  value: string | null | undefined;
  defaultKind?: string;
}) => {
  if (!value) {
    return (
      <Typography component="span" color="textSecondary">
        —
      </Typography>
    );
  }
  let valid = /^[a-z0-9_-]+:/i.test(value) || Boolean(defaultKind);
  if (valid) {
    try {
      parseEntityRef(value, { defaultKind });
    } catch {
      valid = false;
    }
  }
  if (!valid) {
    return <span>{value}</span>;
  }
  return <EntityRefLink entityRef={value} defaultKind={defaultKind} />;
};
