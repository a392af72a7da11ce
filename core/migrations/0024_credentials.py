from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.clock import now
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0023_markets')]

    initial = False

    operations = [
        ops.CreateModel(
            name='IssuedCredential',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='issued_credentials', on_delete=OnDelete.CASCADE)),
                ('award', fields.OneToOneField('models.Award', source_field='award_id', db_constraint=True, to_field='id', related_name='credential', on_delete=OnDelete.CASCADE)),
                ('uuid', fields.UUIDField(unique=True)),
                ('status_index', fields.IntField()),
                ('kid', fields.CharField(max_length=64)),
                ('issued_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('token', fields.TextField(unique=False)),
            ],
            options={'table': 'issued_credential', 'app': 'models', 'unique_together': (('organisation', 'status_index'),), 'pk_attr': 'id', 'table_description': "An award issued as an OpenBadgeCredential: its id, its place in the organisation's"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='IssuerKey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='issuer_keys', on_delete=OnDelete.CASCADE)),
                ('kid', fields.CharField(unique=True, max_length=64)),
                ('public_jwk', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('sealed_private_key', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(default=now, auto_now=False, auto_now_add=False)),
                ('retired_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'issuer_key', 'app': 'models', 'pk_attr': 'id', 'table_description': "An organisation's Ed25519 key for signing credentials. The newest one not retired"},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Organisation',
            name='credentials_enabled',
            field=fields.BooleanField(default=True, db_default=True),
        ),
        ops.AddField(
            model_name='Organisation',
            name='credentials_show_amounts',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
