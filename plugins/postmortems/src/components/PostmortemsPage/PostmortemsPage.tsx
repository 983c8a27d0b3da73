import {
  Content,
  Header,
  Link,
  Page,
  TabbedLayout,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Box } from '@material-ui/core';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import { Route, Routes, useParams } from 'react-router-dom';
import { rootRouteRef } from '../../routes';
import { ActionItemsOverview } from '../ActionItemsOverview';
import { IncidentPostmortem } from '../IncidentPostmortem';
import { OrgPostmortemList } from '../OrgPostmortemList';
import { PostmortemFigures } from '../PostmortemFigures';
import { PostmortemSettings } from '../PostmortemSettings';

const IncidentRoute = () => {
  const { incidentId = '' } = useParams();
  const root = useRouteRef(rootRouteRef);
  return (
    <Page themeId="tool">
      <Header
        title={`Post-mortem of ${incidentId}`}
        type="Post-Mortems"
        typeLink={root()}
      />
      <Content>
        <Box mb={2}>
          <Link to={root()}>
            <Box display="inline-flex" alignItems="center" style={{ gap: 4 }}>
              <ArrowBackIcon fontSize="small" /> All post-mortems
            </Box>
          </Link>
        </Box>
        <IncidentPostmortem incidentId={incidentId} />
      </Content>
    </Page>
  );
};

const Overview = () => (
  <Page themeId="tool">
    <Header
      title="Post-Mortems"
      subtitle="Learn from every incident, track every action item"
    />
    <TabbedLayout>
      <TabbedLayout.Route path="/" title="Post-mortems">
        <OrgPostmortemList />
      </TabbedLayout.Route>
      <TabbedLayout.Route path="/action-items" title="Action items">
        <ActionItemsOverview />
      </TabbedLayout.Route>
      <TabbedLayout.Route path="/figures" title="Figures">
        <PostmortemFigures />
      </TabbedLayout.Route>
      <TabbedLayout.Route path="/settings" title="Templates & provider">
        <PostmortemSettings />
      </TabbedLayout.Route>
    </TabbedLayout>
  </Page>
);

/**
 * The org-wide Post-Mortems page reached from the sidebar: every post-mortem,
 * action items, figures and settings as tabs, and one incident's post-mortem
 * at `incidents/:incidentId`.
 *
 * @public
 */
export const PostmortemsPage = () => (
  <Routes>
    <Route path="/incidents/:incidentId" element={<IncidentRoute />} />
    <Route path="/*" element={<Overview />} />
  </Routes>
);
