"""The admin command line (`tasker-admin`, and the checkout's `./tasker-admin` wrapper):
refusals are one clear line with a non-zero exit and change nothing; a database error
shows MariaDB's message, never the statement."""
import os
import subprocess
import unicodedata
import uuid

import e2e_lib as e
from e2e_lib import expect

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def refused(*args, status=1):
    proc = e.admin(*args, check=False)
    assert proc.returncode == status, (args, proc.returncode, proc.stdout, proc.stderr)
    assert proc.stderr.startswith('Error: '), proc.stderr
    for leak in ('SELECT', 'UPDATE', 'INSERT', 'Error Domain', 'NSCocoa', '.swift'):
        assert leak not in proc.stderr, proc.stderr
    return proc.stderr


def user_count(db):
    return e.query_one(db, 'SELECT COUNT(*) AS n FROM users')['n']


def test_every_command_has_help():
    for command in ('migrate', 'create-admin', 'credit', 'jobs', 'payouts', 'mark-paid', 'reject-payout', 'audit'):
        proc = e.admin(command, '--help')
        assert 'USAGE: tasker-admin ' + command in proc.stdout, proc.stdout


def test_create_admin_takes_only_an_email(db):
    before = user_count(db)
    message = refused('create-admin', 'notanemail')
    assert 'is not an email address' in message and 'Usage' not in message
    assert user_count(db) == before
    email = e.unique_email('admin')
    proc = e.admin('create-admin', '  ' + email.upper() + ' ')
    assert f'Created the admin {email}.' in proc.stdout and 'Password (shown once): ' in proc.stdout
    assert e.query_one(db, 'SELECT role FROM users WHERE email = %s', email)['role'] == 'admin'


def test_credit_refusals_change_nothing(db, new_user):
    user = new_user('requester')
    assert 'no user with the email' in refused('credit', e.unique_email('nobody'), '5.00')
    for amount in ('abc', '1.234', '0', '100000000.01', '999999999999.99'):
        refused('credit', user.email, amount, status=64)
    assert user.balance() == 0
    # Spaces and capitals in the email are what the API accepts too.
    e.admin('credit', ' ' + user.email.upper() + ' ', '2.50')
    assert user.balance() == e.money('2.50')
    e.audit_ok()


def test_mark_paid_needs_a_reference(db, new_user):
    tasker = new_user('tasker')
    e.admin('credit', tasker.email, '1.00')
    payout = expect(tasker.post('/api/payouts', json={'amount': '1.00', 'address': 'W-admin-tool'}), 201)
    assert 'reference needs 1 to 200 characters' in refused('mark-paid', payout['id'], '   ')
    assert 'reference needs 1 to 200 characters' in refused('mark-paid', payout['id'], 'r' * 201)
    row = e.query_one(db, 'SELECT state, reference FROM payouts WHERE id = %s', payout['id'])
    assert (row['state'], row['reference']) == ('requested', None), row
    assert 'No such payout' in refused('mark-paid', 987654321, 'tx-1')
    proc = e.admin('mark-paid', payout['id'], ' tx-42 ')
    assert f'Payout {payout["id"]} of 1.00 is paid (tx-42).' in proc.stdout, proc.stdout
    assert e.query_one(db, 'SELECT reference FROM payouts WHERE id = %s', payout['id'])['reference'] == 'tx-42'
    assert 'already paid' in refused('reject-payout', payout['id'])
    e.audit_ok()


def wrapper(*args, config):
    env = dict(os.environ, TASKER_CONFIG=config)
    return subprocess.run([os.path.join(REPO, 'tasker-admin'), *args], capture_output=True, text=True,
                          timeout=120, env=env)


def test_the_checkout_wrapper_lets_config_on_the_command_line_win():
    config = os.environ['TT_CONFIG']
    assert 'Every balance agrees' in wrapper('audit', config=config).stdout
    # A --config given on the command line wins over TASKER_CONFIG (and the default).
    proc = wrapper('jobs', '--config', '/nonexistent/config.json', config=config)
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == '' and 'cannot read the configuration /nonexistent/config.json' in proc.stderr, proc.stderr
    assert 'OVERVIEW' in wrapper(config=config).stdout
    assert 'USAGE: tasker-admin credit' in wrapper('help', 'credit', config=config).stdout


def test_listings_show_control_characters_escaped(db, new_user):
    """An address stored before the API refused control characters (written here in SQL)
    is printed with its escape sequences spelled out, so it cannot rewrite the terminal."""
    tasker = new_user('tasker')
    e.admin('credit', tasker.email, '0.10')
    payout = expect(tasker.post('/api/payouts', json={'amount': '0.10', 'address': 'W-plain'}), 201)
    with db.cursor() as cur:
        cur.execute('UPDATE payouts SET address = %s WHERE id = %s', ('x\x1b[1AEVIL\u202e', payout['id']))
    db.commit()
    out = e.admin('payouts', '--waiting').stdout
    line = next(line for line in out.splitlines() if line.startswith(f'{payout["id"]}\t'))
    assert 'x\\u{1B}[1AEVIL\\u{202E}' in line, line
    assert '\x1b' not in out and '\u202e' not in out
    e.admin('reject-payout', payout['id'])


def test_migrate_stores_old_emails_in_their_composed_form(base, db):
    """Before sql/015 an email could be stored with a decomposed accent, which sign-in (now
    looking up the composed form) no longer finds: `migrate` stores it composed."""
    tag = uuid.uuid4().hex[:10]
    composed = f'zo\u00eb-{tag}@e2e.example.com'
    anon = e.Client(base)
    try:
        user = expect(anon.post('/api/auth/register', json={'email': composed, 'password': 'longenough-1',
                                                             'role': 'tasker'}), 201)['user']
        with db.cursor() as cur:  # as an older worker might have stored it
            cur.execute('UPDATE users SET email = %s WHERE id = %s', (unicodedata.normalize('NFD', composed), user['id']))
        db.commit()
        expect(anon.post('/api/auth/login', json={'email': composed, 'password': 'longenough-1'}), 401)
        out = e.admin('migrate').stdout
        assert f'The email of user {user["id"]} is now stored in its composed form.' in out, out
        assert e.query_one(db, 'SELECT email FROM users WHERE id = %s', user['id'])['email'] == composed
        expect(anon.post('/api/auth/login', json={'email': composed, 'password': 'longenough-1'}), 200)
        assert f'user {user["id"]}' not in e.admin('migrate').stdout
    finally:
        anon.close()
