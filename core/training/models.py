"""The course catalogue, who is assigned what, completions and the skills behind metrics."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core.orgs.models import Organisation, User
from domain.metrics import Metric
from domain.training import Method


class Course(Model):
    """A course or module of the catalogue, named by `code` (by an LMS and by goals).
    A course with `certification_months` certifies whoever passes it, for that long."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="courses", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=64)
    name = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    # Lowercase tags: negotiation, discovery, product-x.
    skills = fields.JSONField(default=list)
    duration_minutes = fields.IntField()
    # Percent an assessment must reach; None: no assessment, completing is passing.
    pass_score = fields.DecimalField(max_digits=5, decimal_places=2, null=True)
    certification_months = fields.IntField(null=True)
    created_at = fields.DatetimeField()

    organisation_id: int

    class Meta:
        table = "course"
        unique_together = (("organisation", "code"),)


class Assignment(Model):
    """A course a rep is to complete by `due_on` (a local day). A recurring one is assigned
    again `recur_months` after each completion, for re-certification."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="assignments", on_delete=fields.CASCADE
    )
    course: fields.ForeignKeyRelation[Course] = fields.ForeignKeyField(
        "models.Course", related_name="assignments", on_delete=fields.CASCADE
    )
    rep: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="assignments", on_delete=fields.CASCADE
    )
    assigned_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="assignments_made", null=True, on_delete=fields.SET_NULL
    )
    due_on = fields.DateField()
    recur_months = fields.IntField(null=True)
    completed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    organisation_id: int
    course_id: int
    rep_id: int
    assigned_by_id: int | None

    class Meta:
        table = "training_assignment"
        indexes = (("organisation_id", "rep_id"), ("organisation_id", "due_on"))


class Completion(Model):
    """A course completed (or an assessment failed) by a rep: self-paced, in a coached
    session recorded by a manager, or reported by an LMS under its own `external_id`.

    `day` is the organisation's local day of `completed_at` and `expires_day` the first day
    a certification no longer holds, as day ordinals, so that figures read ranges of days
    as the rollups do."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="completions", on_delete=fields.CASCADE
    )
    course: fields.ForeignKeyRelation[Course] = fields.ForeignKeyField(
        "models.Course", related_name="completions", on_delete=fields.CASCADE
    )
    rep: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="completions", on_delete=fields.CASCADE
    )
    assignment: fields.ForeignKeyNullableRelation[Assignment] = fields.ForeignKeyField(
        "models.Assignment", related_name="completions", null=True, on_delete=fields.SET_NULL
    )
    method = fields.CharEnumField(Method, max_length=16)
    external_id = fields.CharField(max_length=200, null=True)
    completed_at = fields.DatetimeField()
    day = fields.IntField()
    score = fields.DecimalField(max_digits=5, decimal_places=2, null=True)
    passed = fields.BooleanField()
    expires_on = fields.DateField(null=True)
    expires_day = fields.IntField(null=True)
    notes = fields.TextField(null=True)
    recorded_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="completions_recorded", null=True, on_delete=fields.SET_NULL
    )
    recorded_at = fields.DatetimeField()

    organisation_id: int
    course_id: int
    rep_id: int
    assignment_id: int | None
    recorded_by_id: int | None

    class Meta:
        table = "training_completion"
        unique_together = (("organisation", "external_id"),)
        indexes = (("organisation_id", "rep_id", "day"), ("organisation_id", "course_id"))


class SkillMetric(Model):
    """A skill that moves a metric (negotiation → WIN_RATE): the courses teaching it are
    suggested when a goal of that metric is at risk."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="skill_metrics", on_delete=fields.CASCADE
    )
    skill = fields.CharField(max_length=64)
    metric = fields.CharEnumField(Metric, max_length=32)

    organisation_id: int

    class Meta:
        table = "skill_metric"
        unique_together = (("organisation", "skill", "metric"),)
