from __future__ import annotations

from maillage.evaluation import services
from maillage.evaluation.models import Indicator, Question


def test_monthly_template_has_the_pilots_themes(program_a):
    questionnaire = services.create_questionnaire_from_template(program=program_a, kind="monthly")
    themes = list(questionnaire.questions.values_list("theme", flat=True))
    assert themes[:4] == ["objectives", "success_factors", "difficulties", "appreciation"]
    assert questionnaire.questions.first().kind == Question.Kind.OBJECTIVE_PROGRESS
    assert all(q.label_en for q in questionnaire.questions.all())


def test_final_template_has_learning_objectives_appreciation_recommendations(program_a):
    questionnaire = services.create_questionnaire_from_template(program=program_a, kind="final")
    themes = set(questionnaire.questions.values_list("theme", flat=True))
    assert {"learning", "objectives", "appreciation", "recommendations"} <= themes


def test_final_template_carries_the_three_published_indicators(program_a):
    questionnaire = services.create_questionnaire_from_template(program=program_a, kind="final")
    tagged = dict(questionnaire.questions.exclude(indicator="").values_list("indicator", "kind"))
    assert tagged == {
        Indicator.SATISFACTION: "scale",
        Indicator.WOULD_MENTOR_AGAIN: "single",
        Indicator.WOULD_RECOMMEND: "single",
    }
    again = questionnaire.questions.get(indicator=Indicator.WOULD_MENTOR_AGAIN)
    assert again.audience == "mentors"
    satisfaction = questionnaire.questions.get(indicator=Indicator.SATISFACTION)
    assert satisfaction.scale_ends("en") == ("Very dissatisfied", "Very satisfied")


def test_choice_question_needs_two_distinct_choices(program_a):
    questionnaire = services.create_questionnaire(program=program_a, title_fr="Test")
    try:
        services.save_question(
            questionnaire=questionnaire,
            kind="single",
            label_fr="Oui ?",
            choices=[{"value": "oui", "fr": "Oui"}],
        )
    except services.EvaluationError as error:
        assert error.field == "choices"
    else:
        raise AssertionError("a single choice with one option was accepted")


def test_questions_can_be_moved(program_a):
    questionnaire = services.create_questionnaire(program=program_a, title_fr="Test")
    first = services.save_question(questionnaire=questionnaire, kind="short_text", label_fr="A")
    second = services.save_question(questionnaire=questionnaire, kind="short_text", label_fr="B")
    services.move_question(question=second, direction="up", by=None)
    assert [q.label_fr for q in questionnaire.questions.all()] == ["B", "A"]
    assert first.pk != second.pk
