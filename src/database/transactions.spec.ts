import { preparedSql } from './transactions';

describe('preparedSql', () => {
  it('refuses a name given twice: on a connection, one name is one statement', () => {
    const name = `spec.${Math.random()}`;
    expect(preparedSql(name, 'SELECT 1')).toEqual({ name, text: 'SELECT 1' });
    expect(() => preparedSql(name, 'SELECT 2')).toThrow(`prepared statement ${name} is defined twice`);
  });
});
