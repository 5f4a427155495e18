import { startSettingsPage } from './settings-page';

startSettingsPage();
