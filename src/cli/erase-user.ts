/**
 * `npm run user:erase -- <email or account id>`: erases an account for support staff, by the same
 * code path as `DELETE /users/me` (without asking for the password), audited as done by the
 * system. Runs with the stage's environment like the service.
 */
import 'reflect-metadata';
import { AuditService } from '../audit/audit.service';
import { AccountErasureService } from '../data-rights/account-erasure.service';
import { UsersService } from '../users/users.service';
import { runCli, withAppContext } from './run-cli';

async function main(): Promise<number> {
  const key = process.argv[2];
  if (!key) {
    console.error('usage: npm run user:erase -- <email or account id>');
    return 2;
  }
  const erased = await withAppContext(async (app) => {
    const account = await app.get(UsersService).findByEmailOrAccountId(key);
    if (!account) return undefined;
    const bySystem = { actorUserId: null, subjectUserId: account.id };
    await app.get(AuditService).runAudited('account', bySystem, () => app.get(AccountErasureService).erase(account.id));
    return account;
  });
  // The account id is no personal data; the email given is the operator's own input.
  console.log(erased ? `erased account ${erased.accountId} (user ${erased.id})` : `no account ${key}`);
  return erased ? 0 : 1;
}

runCli(main);
