from django.db import migrations, models


def keep_approver_names(apps, schema_editor):
    """Groups formed before the name was kept: the approver's name if the account is still
    there; otherwise say plainly that nobody's approval was recorded."""
    Group = apps.get_model("mentoring", "Group")
    Person = apps.get_model("core", "Person")
    for group in Group.objects.all().select_related("approved_by"):
        user = group.approved_by
        name = ""
        if user is not None:
            person = Person.objects.filter(user_id=user.pk).first()
            if person is not None:
                name = f"{person.first_name} {person.last_name}".strip()
            name = name or user.email or user.username
        group.approved_by_name = (name or "(approbation non consignée)")[:200]
        group.save(update_fields=["approved_by_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_auditentry_named_actions"),
        ("mentoring", "0007_agreement_revision"),
    ]

    operations = [
        migrations.AddField(
            model_name="group",
            name="approved_by_name",
            field=models.CharField(
                default="", max_length=200, verbose_name="approuvé par (nom)"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(keep_approver_names, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="group",
            constraint=models.CheckConstraint(
                condition=models.Q(("approved_by_name", ""), _negated=True),
                name="group_approved_by_someone",
            ),
        ),
    ]
