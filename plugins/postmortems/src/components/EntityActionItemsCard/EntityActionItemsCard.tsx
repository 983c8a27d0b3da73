import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Typography } from '@material-ui/core';
import type { ActionItem } from '@postmortems-oss/backstage-plugin-postmortems-common';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../../api';
import { useIncidentsById } from '../../hooks/useIncidentsById';
import { ActionItemList } from '../ActionItemList';

/** Open and overdue action items of one entity, read once. */
export function useEntityActionItems(entityRef: string) {
  const api = useApi(postmortemsApiRef);
  return useAsync(async () => {
    const [open, overdue] = await Promise.all([
      api.listActionItems({
        entityRef,
        status: ['open', 'in_progress'],
        limit: 100,
      }),
      api.listActionItems({ entityRef, overdue: true, limit: 100 }),
    ]);
    const byId = new Map<string, ActionItem>();
    [...overdue.data, ...open.data].forEach(item => byId.set(item.id, item));
    return {
      items: [...byId.values()],
      openTotal: open.total,
      overdueTotal: overdue.total,
    };
  }, [api, entityRef]);
}

/** The entity's open action items, overdue ones first and highlighted. */
export const EntityActionItemsCard = ({
  entityRef,
  linkTo,
}: {
  entityRef: string;
  linkTo(incidentRef: string): string;
}) => {
  const state = useEntityActionItems(entityRef);
  const incidents = useIncidentsById(
    state.value?.items.map(i => i.incident_id) ?? [],
  );

  let body;
  if (state.loading) {
    body = <Progress />;
  } else if (state.error) {
    body = <ResponseErrorPanel error={state.error} />;
  } else if (!state.value?.items.length) {
    body = (
      <Typography color="textSecondary">
        No open action items. Everything agreed in post-mortems is done.
      </Typography>
    );
  } else {
    body = (
      <ActionItemList
        items={state.value.items}
        incidents={incidents.value}
        linkTo={linkTo}
        label="Open action items"
      />
    );
  }

  const { openTotal = 0, overdueTotal = 0 } = state.value ?? {};
  return (
    <InfoCard
      title="Open action items"
      subheader={
        state.value ? `${openTotal} open · ${overdueTotal} overdue` : undefined
      }
    >
      {body}
    </InfoCard>
  );
};
