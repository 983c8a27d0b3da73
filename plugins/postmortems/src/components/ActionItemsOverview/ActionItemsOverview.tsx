import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
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

type Scope = 'mine' | 'everyone';

const plural = (n: number) => `${n} action item${n === 1 ? '' : 's'}`;

/**
 * Action items across all post-mortems: the signed-in user's (directly or
 * through their groups) or everyone's, optionally only the overdue ones.
 * It opens on the user's own open items, or on everyone's when the user has
 * none (as the catalog opens on "All" for someone who owns nothing); an empty
 * list of one's own says how many of everyone's match and offers them.
 */
export const ActionItemsOverview = () => {
  const api = useApi(postmortemsApiRef);
  const incidentRoute = useRouteRef(incidentRouteRef);
  const user = useCurrentUser();
  const [chosen, setChosen] = useState<Scope>();
  const [overdue, setOverdue] = useState(false);
  const [status, setStatus] = useState<keyof typeof STATUS_FILTERS>('open');
  const [page, setPage] = useState(1);

  const owners = user.value
    ? [
        ...new Set([
          user.value.userEntityRef,
          ...user.value.ownershipEntityRefs,
        ]),
      ]
    : undefined;
  const ownersKey = owners?.join(',');
  const filters = {
    status: overdue ? undefined : STATUS_FILTERS[status],
    overdue: overdue || undefined,
  };
  const filtersKey = JSON.stringify(filters);

  // Until the user picks, the page opens where there is something to see.
  const mineOpen = useAsync(async () => {
    if (chosen || !owners) return undefined;
    const first = await api.listActionItems({
      owner: owners,
      status: STATUS_FILTERS.open,
      limit: 1,
    });
    return first.total;
  }, [api, chosen, ownersKey]);
  let scope: Scope | undefined = chosen;
  if (!scope && (mineOpen.value !== undefined || mineOpen.error)) {
    scope = mineOpen.value === 0 ? 'everyone' : 'mine';
  }

  const items = useAsync(async () => {
    if (!scope || (scope === 'mine' && !owners)) return undefined;
    return api.listActionItems({
      owner: scope === 'mine' ? owners : undefined,
      ...filters,
      page,
      limit: PAGE_SIZE,
    });
  }, [api, scope, ownersKey, filtersKey, page]);
  const incidents = useIncidentsById(
    items.value?.data.map(i => i.incident_id) ?? [],
  );
  // None of one's own: how many of everyone's match the same filters.
  const mineEmpty = scope === 'mine' && items.value?.total === 0;
  const others = useAsync(async () => {
    if (!mineEmpty) return undefined;
    const first = await api.listActionItems({ ...filters, limit: 1 });
    return first.total;
  }, [api, mineEmpty, filtersKey]);

  const pick = (value: Scope) => {
    setChosen(value);
    setPage(1);
  };

  let body;
  if (user.error) {
    body = <ResponseErrorPanel error={user.error} />;
  } else if (!scope || items.loading || (scope === 'mine' && user.loading)) {
    body = <Progress />;
  } else if (items.error) {
    body = <ResponseErrorPanel error={items.error} />;
  } else if (!items.value?.data.length) {
    const none = overdue ? 'Nothing is overdue.' : 'No action items here.';
    body = (
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Typography color="textSecondary">
          {scope === 'mine' && others.value
            ? `None of your action items ${
                overdue ? 'is overdue' : 'match these filters'
              }; ${plural(others.value)} of everyone's ${
                others.value === 1 ? 'does' : 'do'
              }.`
            : none}
        </Typography>
        {scope === 'mine' && Boolean(others.value) && (
          <Button
            size="small"
            color="primary"
            variant="outlined"
            onClick={() => pick('everyone')}
          >
            Show everyone's ({others.value})
          </Button>
        )}
      </Box>
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
      title={scope === 'everyone' ? 'All action items' : 'My action items'}
      subheader={
        scope === 'everyone'
          ? 'Across every post-mortem'
          : 'Owned by you or by a group you belong to'
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
          value={scope ?? null}
          onChange={(_e, value) => {
            if (value) pick(value);
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
