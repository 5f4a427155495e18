/**
 * `npm run user:promote -- <email>`: gives an account the admin role. Runs with the stage's
 * environment like the service (`APP_STAGE=prod DATABASE_URL=… npm run user:promote -- …`).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { UsersService } from '../users/users.service';

async function main(): Promise<number> {
  const email = process.argv[2];
  if (!email) {
    console.error('usage: npm run user:promote -- <email>');
    return 2;
  }
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  try {
    const promoted = await app.get(UsersService).setRoleByEmail(email, 'admin');
    console.log(promoted ? `${email} is now an admin` : `no account with email ${email}`);
    return promoted ? 0 : 1;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
