/**
 * `npm run erasure:reapply`: erases again every account listed in `erased_accounts`, after a
 * backup was restored (a backup taken before an erasure still holds that person's data). An
 * account already erased finds nothing left to remove; one restored to its earlier state is
 * erased as it was the first time, and the erasure recorded again (by the system).
 */
import 'reflect-metadata';
import { AuditService } from '../audit/audit.service';
import { AccountErasureService } from '../data-rights/account-erasure.service';
import { UsersService } from '../users/users.service';
import { runCli, withAppContext } from './run-cli';

async function main(): Promise<number> {
  const count = await withAppContext(async (app) => {
    const [users, audit, erasure] = [app.get(UsersService), app.get(AuditService), app.get(AccountErasureService)];
    let erased = 0;
    for await (const userId of users.erasedUserIds()) {
      await audit.runAudited('account', { actorUserId: null, subjectUserId: userId }, () => erasure.erase(userId));
      erased++;
    }
    return erased;
  });
  console.log(`re-applied ${count} erasure(s)`);
  return 0;
}

runCli(main);
