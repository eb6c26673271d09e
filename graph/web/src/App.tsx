// The app's pages, by address. Addresses the gateway answers itself (/graphql,
// /calendar/…, /sessions/….ics, /auth/session, /graphiql) are not the app's.
import { Route, Routes } from 'react-router';
import { Layout } from './components/Layout';
import { NotFound } from './components/display';
import { Admin } from './pages/Admin';
import { AssociationPage } from './pages/Association';
import { CallPage, CallsPage } from './pages/Calls';
import { CityPage, Dialogues } from './pages/City';
import { Coordinate } from './pages/Coordinate';
import { Directory } from './pages/Directory';
import { ExpertPage, ExpertRegister, ExpertsRoster } from './pages/Experts';
import { EditAssociation } from './pages/EditAssociation';
import { Home } from './pages/Home';
import { InstitutionPage, InstitutionRegister } from './pages/Institutions';
import { My } from './pages/My';
import { ProposalPage } from './pages/Proposal';
import { EditProposal, NewProposal } from './pages/ProposalForm';
import { Register } from './pages/Register';
import { NewRequest, RequestPage, RequestsPage } from './pages/Requests';
import { ScheduleSession } from './pages/ScheduleSession';
import { SessionPage } from './pages/Session';
import { SignIn } from './pages/SignIn';
import { Stats } from './pages/Stats';

export function App() {
  return (
    <Layout>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/associations" element={<Directory />} />
        <Route path="/associations/:id" element={<AssociationPage />} />
        <Route path="/associations/:id/edit" element={<EditAssociation />} />
        <Route path="/register" element={<Register />} />
        <Route path="/signin" element={<SignIn />} />
        <Route path="/dialogues" element={<Dialogues />} />
        <Route path="/dialogues/new" element={<ScheduleSession />} />
        <Route path="/dialogues/:id" element={<SessionPage />} />
        <Route path="/cities/:slug" element={<CityPage />} />
        <Route path="/calls" element={<CallsPage />} />
        <Route path="/calls/:id" element={<CallPage />} />
        <Route path="/proposals/new" element={<NewProposal />} />
        <Route path="/proposals/:id" element={<ProposalPage />} />
        <Route path="/proposals/:id/edit" element={<EditProposal />} />
        <Route path="/my" element={<My />} />
        <Route path="/coordinate" element={<Coordinate />} />
        <Route path="/admin" element={<Admin />} />
        <Route path="/stats" element={<Stats />} />
        <Route path="/experts" element={<ExpertsRoster />} />
        <Route path="/experts/register" element={<ExpertRegister />} />
        <Route path="/experts/:id" element={<ExpertPage />} />
        <Route path="/requests" element={<RequestsPage />} />
        <Route path="/requests/new" element={<NewRequest />} />
        <Route path="/requests/:id" element={<RequestPage />} />
        <Route path="/institutions/register" element={<InstitutionRegister />} />
        <Route path="/institutions/:id" element={<InstitutionPage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Layout>
  );
}
