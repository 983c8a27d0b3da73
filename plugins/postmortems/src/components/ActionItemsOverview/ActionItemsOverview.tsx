import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  Box,
  Checkbox,
  FormControlLabel,
  MenuItem,
  TablePagination,
  TextField,
  Typography,
} from '@material-ui/core';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import type { ActionItemStatus } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../../api';
import { useCurrentUser } from '../../hooks/useCurrentUser';
import { useIncidentsById } from '../../hooks/useIncidentsById';
import { incidentRouteRef } from '../../routes';
import { ActionItemList } from '../ActionItemList';

const PAGE_SIZE = 50;
const STATUS_FILTERS: Record<string, ActionItemStatus[] | undefined> = {
  open: ['open', 'in_progress'],
  done: ['done'],
  all: undefined,
};

/**
 * Action items across all post-mortems: the signed-in user's (directly or
 * through their groups) or everyone's, optionally only the overdue ones.
 */
export const ActionItemsOverview = () => {
  const api = useApi(postmortemsApiRef);
  const incidentRoute = useRouteRef(incidentRouteRef);
  const user = useCurrentUser();
  const [scope, setScope] = useState<'mine' | 'everyone'>('mine');
  const [overdue, setOverdue] = useState(false);
  const [status, setStatus] = useState<keyof typeof STATUS_FILTERS>('open');
  const [page, setPage] = useState(1);

  const owners =
    scope === 'mine' && user.value
      ? [
          ...new Set([
            user.value.userEntityRef,
            ...user.value.ownershipEntityRefs,
          ]),
        ]
      : undefined;

  const items = useAsync(async () => {
    if (scope === 'mine' && !owners) return undefined;
    return api.listActionItems({
      owner: owners,
      status: overdue ? undefined : STATUS_FILTERS[status],
      overdue: overdue || undefined,
      page,
      limit: PAGE_SIZE,
    });
  }, [api, scope, owners?.join(','), overdue, status, page]);
  const incidents = useIncidentsById(
    items.value?.data.map(i => i.incident_id) ?? [],
  );

  let body;
  if (user.error) {
    body = <ResponseErrorPanel error={user.error} />;
  } else if (items.loading || (scope === 'mine' && user.loading)) {
    body = <Progress />;
  } else if (items.error) {
    body = <ResponseErrorPanel error={items.error} />;
  } else if (!items.value?.data.length) {
    body = (
      <Typography color="textSecondary">
        {overdue ? 'Nothing is overdue.' : 'No action items here.'}
      </Typography>
    );
  } else {
    body = (
      <>
        <ActionItemList
          items={items.value.data}
          incidents={incidents.value}
          linkTo={incidentId => incidentRoute({ incidentId })}
          label={scope === 'mine' ? 'My action items' : 'Action items'}
        />
        {items.value.total > PAGE_SIZE && (
          <TablePagination
            component="div"
            count={items.value.total}
            page={page - 1}
            rowsPerPage={PAGE_SIZE}
            rowsPerPageOptions={[PAGE_SIZE]}
            onPageChange={(_e, p) => setPage(p + 1)}
          />
        )}
      </>
    );
  }

  return (
    <InfoCard
      title={scope === 'mine' ? 'My action items' : 'All action items'}
      subheader={
        scope === 'mine'
          ? 'Owned by you or by a group you belong to'
          : 'Across every post-mortem'
      }
    >
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        mb={2}
        style={{ gap: 16 }}
      >
        <ToggleButtonGroup
          size="small"
          exclusive
          value={scope}
          onChange={(_e, value) => {
            if (value) {
              setScope(value);
              setPage(1);
            }
          }}
          aria-label="Whose action items"
        >
          <ToggleButton value="mine">Mine</ToggleButton>
          <ToggleButton value="everyone">Everyone's</ToggleButton>
        </ToggleButtonGroup>
        <TextField
          select
          size="small"
          variant="outlined"
          label="Status"
          id="action-items-status"
          value={status}
          disabled={overdue}
          onChange={e => {
            setStatus(e.target.value);
            setPage(1);
          }}
          style={{ minWidth: 170 }}
        >
          <MenuItem value="open">Open or in progress</MenuItem>
          <MenuItem value="done">Done</MenuItem>
          <MenuItem value="all">All</MenuItem>
        </TextField>
        <FormControlLabel
          control={
            <Checkbox
              checked={overdue}
              onChange={e => {
                setOverdue(e.target.checked);
                setPage(1);
              }}
            />
          }
          label="Overdue only"
        />
      </Box>
      {body}
    </InfoCard>
  );
};
