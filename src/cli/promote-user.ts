/**
 * `npm run user:promote -- <email>`: gives an account the admin role, audited as a change by the
 * system. Runs with the stage's environment like the service
 * (`APP_STAGE=prod DATABASE_URL=… npm run user:promote -- …`).
 */
import 'reflect-metadata';
import { AuditService } from '../audit/audit.service';
import { UsersService } from '../users/users.service';
import { runCli, withAppContext } from './run-cli';

async function main(): Promise<number> {
  const email = process.argv[2];
  if (!email) {
    console.error('usage: npm run user:promote -- <email>');
    return 2;
  }
  const promoted = await withAppContext(async (app) => {
    const users = app.get(UsersService);
    const account = await users.findByEmail(email);
    if (!account) return false;
    // The system acts: no actor; the subject is the account whose role changes.
    const bySystem = { actorUserId: null, subjectUserId: account.id };
    return app.get(AuditService).runAudited('profile', bySystem, () => users.setRoleByEmail(email, 'admin'));
  });
  console.log(promoted ? `${email} is now an admin` : `no account with email ${email}`);
  return promoted ? 0 : 1;
}

runCli(main);
