import { Box, makeStyles, MenuItem, TextField } from '@material-ui/core';
import {
  INCIDENT_SEVERITIES,
  IncidentSeverity,
  PostmortemStatus,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ReactNode } from 'react';
import { secondaryText } from '../accessibility';

/** The filters of a post-mortem list; empty means "all". */
export interface PostmortemFilterValues {
  status: PostmortemStatus | '';
  severity: IncidentSeverity | '';
}

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
    // The bar sits on the page background, where the theme's grey label is
    // just under 4.5:1. Every field's label, the caller's too; focused and
    // error labels keep their own colours.
    '& label:not(.Mui-focused):not(.Mui-error)': {
      color: secondaryText(theme),
    },
  },
  field: { minWidth: 160 },
}));

/** Status and severity selects, plus whatever filters the caller adds. */
export const PostmortemFilters = ({
  value,
  onChange,
  children,
}: {
  value: PostmortemFilterValues;
  onChange(value: PostmortemFilterValues): void;
  children?: ReactNode;
}) => {
  const classes = useStyles();
  return (
    <Box className={classes.bar} role="search" aria-label="Filter post-mortems">
      {children}
      <TextField
        select
        size="small"
        variant="outlined"
        label="Status"
        id="postmortem-filter-status"
        className={classes.field}
        value={value.status}
        onChange={e =>
          onChange({
            ...value,
            status: e.target.value as PostmortemStatus | '',
          })
        }
      >
        <MenuItem value="">All</MenuItem>
        <MenuItem value="draft">Draft</MenuItem>
        <MenuItem value="published">Published</MenuItem>
      </TextField>
      <TextField
        select
        size="small"
        variant="outlined"
        label="Severity"
        id="postmortem-filter-severity"
        className={classes.field}
        value={value.severity}
        onChange={e =>
          onChange({
            ...value,
            severity: e.target.value as IncidentSeverity | '',
          })
        }
      >
        <MenuItem value="">All</MenuItem>
        {INCIDENT_SEVERITIES.map(severity => (
          <MenuItem key={severity} value={severity}>
            {severity[0].toUpperCase() + severity.slice(1)}
          </MenuItem>
        ))}
      </TextField>
    </Box>
  );
};
