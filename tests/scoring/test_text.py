"""Free-text signals that cannot be gamed: sentence-aware, negation-aware, bilingual with Dutch inflections."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.scoring.model import Lexicon
from app.scoring.text import TextAnalyzer

LEXICON = Path(__file__).resolve().parents[2] / "questions" / "data" / "lexicon.yaml"


@pytest.fixture(scope="module")
def analyzer() -> TextAnalyzer:
    return TextAnalyzer(Lexicon.model_validate(yaml.safe_load(LEXICON.read_text(encoding="utf-8"))))


@pytest.mark.parametrize(
    "text",
    [
        # A department and a duration are no business result.
        "I worked with the sales team for 3 years.",
        # A budget is what was spent, not what it brought.
        "I managed a budget of 500 for our Facebook page.",
        "Ik werkte 4 jaar samen met het salesteam.",
    ],
)
def test_durations_departments_and_budgets_are_no_concrete_result(analyzer: TextAnalyzer, text: str) -> None:
    assert not analyzer.analyse(text).concrete_result


@pytest.mark.parametrize(
    "text",
    [
        "Met de campagne hebben we 180 extra afspraken geboekt.",
        "We kregen 45 offerteaanvragen via LinkedIn in één kwartaal.",
        "De omzet uit social steeg naar €120.000.",
        "Our LinkedIn programme brought 310 qualified leads and €1.2 million in signed contracts.",
        "We sold 300 tickets through Instagram stories.",
        # Service shifted to cheaper channels, and hires, are business outcomes too.
        "Online repair requests went from 22% to 41% of all requests.",
        "Customer service says it saves about 30 calls a day.",
        "Calls to the service desk dropped by 45% that week.",
        "Er zijn 11 mensen aangenomen via de campagne.",
        "We hired 4 technicians in one quarter.",
        # Other sectors' outcomes, and Dutch compounds whose head is an outcome.
        "We won 35 new donors and 60 volunteers.",
        "Enrolments for the autumn intake rose from 210 to 330.",
        "We kregen 230 nieuwe leden in een half jaar.",
        "De webshopomzet groeide van €1,1 miljoen naar €1,6 miljoen.",
        "Het aantal proefritten verdubbelde naar 120.",
        # A colon or parenthesis that introduces the figure keeps it with its outcome.
        "In plaats van likes te tellen, keken we naar omzet: +18%.",
        "Leads: 140 in the third quarter.",
        "We mikten niet op volgers, wel op offerteaanvragen (+35%).",
    ],
)
def test_an_outcome_with_a_figure_in_one_clause_is_a_concrete_result(analyzer: TextAnalyzer, text: str) -> None:
    found = analyzer.analyse(text)
    assert found.concrete_result, text
    assert found.results[0] in text


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        # Dutch glues a modifier to its head; the head says what the word is. Not every compound can be listed.
        ("De webshopverkoop steeg in het najaar met 15%.", "webshopverkoop"),
        ("De online-omzet steeg met 20% in een jaar.", "online-omzet"),
        ("We kregen 40 LinkedIn-leads per maand.", "linkedin-leads"),
        # Fewer customer questions and phone calls is service cost saved: a result beside a fall.
        ("Het aantal klantvragen via de telefoon daalde met 18%.", "klantvragen"),
        (
            "With customer service I set up a WhatsApp channel for order questions, which cut phone calls by 18%.",
            "phone calls",
        ),
    ],
)
def test_compounds_and_fewer_calls_are_concrete_results(analyzer: TextAnalyzer, text: str, outcome: str) -> None:
    found = analyzer.analyse(text)
    assert found.concrete_result, text
    assert outcome in found.business


@pytest.mark.parametrize(
    "text",
    [
        # A multiple in words is a figure: "names business outcomes but no figures" would be false.
        "Revenue from social doubled in one year.",
        "We halved the cost per lead within a quarter.",
        "We tripled the number of qualified leads.",
        "De omzet via Instagram verdubbelde in een jaar.",
        "Het aantal offerteaanvragen verdrievoudigde.",
        "Complaints fell by a third.",
    ],
)
def test_a_figure_in_words_makes_a_concrete_result(analyzer: TextAnalyzer, text: str) -> None:
    assert analyzer.analyse(text).concrete_result, text


@pytest.mark.parametrize(
    "text",
    ["Revenue did not double.", "Our revenue never doubled.", "Halving the budget, we kept the same sales."],
)
def test_a_figure_in_words_taken_back_or_elsewhere_is_none(analyzer: TextAnalyzer, text: str) -> None:
    found = analyzer.analyse(text)
    assert not found.concrete_result and found.business, text


def test_doubled_followers_stay_a_vanity_metric(analyzer: TextAnalyzer) -> None:
    found = analyzer.analyse("I doubled my followers.")
    assert found.vanity == ("followers",) and not found.concrete_result


@pytest.mark.parametrize(
    "text",
    [
        # A customer journey is a marketing model, not customers won; order questions are no orders.
        "Omnichannel customer journey mapping for 3 brands.",
        "De klantreis van 3 merken in kaart gebracht.",
        "We answered 300 customer questions a week.",
        # A compound whose head is no outcome stays none, and a short head is not looked for inside words.
        "Ik werkte 3 jaar met het verkoopteam en 12 klantenservicemedewerkers.",
    ],
)
def test_models_departments_and_workload_are_no_concrete_result(analyzer: TextAnalyzer, text: str) -> None:
    found = analyzer.analyse(text)
    assert not found.concrete_result and found.business == (), text


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # Dutch writes the self-declared specialist's title as one word or with hyphens; "social media goeroe" with
        # spaces fired and "Social-media-goeroe" did not.
        ("Social-media-goeroe", "social-media-goeroe"),
        ("Socialmediagoeroe en contentkoning", "socialmediagoeroe"),
        ("Instagram-ninja", "instagram-ninja"),
        ("LinkedIn-specialist | 10K volgers", "linkedin-specialist"),
    ],
)
def test_a_compound_self_title_is_a_self_title(analyzer: TextAnalyzer, text: str, title: str) -> None:
    assert analyzer.analyse(text).titles == (title,)


@pytest.mark.parametrize("text", ["Directeur Communicatie", "Woordvoerder en persvoorlichter", "Content marketeer"])
def test_a_job_title_without_a_self_given_one_is_none(analyzer: TextAnalyzer, text: str) -> None:
    assert analyzer.analyse(text).titles == ()


def test_a_compound_vanity_metric_is_a_vanity_metric(analyzer: TextAnalyzer) -> None:
    assert analyzer.analyse("Onze twittervolgers groeiden naar 5.000.").vanity == ("twittervolgers",)
    assert analyzer.analyse("We haalden 2.000 Instagram-volgers.").vanity == ("instagram-volgers",)


def test_a_parenthesis_without_a_figure_is_still_an_aside(analyzer: TextAnalyzer) -> None:
    # The figure belongs to the aside, not to the outcome before it.
    assert not analyzer.analyse("Our goal was more leads (we asked 3 colleagues to help).").concrete_result


def test_outcome_and_figure_in_different_sentences_do_not_make_a_result(analyzer: TextAnalyzer) -> None:
    found = analyzer.analyse("We talked a lot about leads. Last year I posted 3 times.")
    assert not found.concrete_result
    assert found.business == ("leads",)


@pytest.mark.parametrize(
    "text",
    [
        "We measured success in qualified leads instead of likes.",
        "Wij sturen op aanvragen in plaats van volgers.",
        "We never chased followers.",
        # A negation covers the list of terms it starts, and reaches "never about the number of ...".
        "We did not measure success in likes or followers but in qualified demos.",
        "We hebben succes bewust niet gemeten in likes of volgers, maar in omzet.",
        "Success was never about the number of followers and likes for us.",
    ],
)
def test_a_vanity_metric_that_is_taken_back_is_no_claim(analyzer: TextAnalyzer, text: str) -> None:
    assert analyzer.analyse(text).vanity == ()


def test_a_negation_does_not_reach_a_claim_further_on(analyzer: TextAnalyzer) -> None:
    # "without" takes back the budget, not the followers seven words later.
    assert analyzer.analyse("Without a paid budget we reached 40,000 followers in a year.").vanity == ("followers",)


@pytest.mark.parametrize(
    "text",
    [
        # Press coverage valued as advertising space, and clicks, are attention, not a business result.
        "We kregen 42 publicaties met een mediawaarde van €310.000.",
        "Op social media werd de lancering ruim 2 miljoen keer bekeken.",
        "The campaign got 12,000 link clicks and 300 media mentions.",
    ],
)
def test_ad_value_equivalents_views_and_clicks_are_vanity(analyzer: TextAnalyzer, text: str) -> None:
    found = analyzer.analyse(text)
    assert found.vanity and not found.concrete_result


def test_vanity_metrics_offered_as_success_count(analyzer: TextAnalyzer) -> None:
    assert analyzer.analyse("My account grew to 20,000 followers and lots of likes.").vanity == ("followers", "likes")
    # Beside a concrete result they are a diagnostic, not the measure of success.
    assert analyzer.analyse("10,000 views brought 140 leads.").vanity == ()


@pytest.mark.parametrize("text", ["I send monthly updates on leads to the board.", "I answered customer tweets."])
def test_mentioning_posts_is_no_volume_bragging(analyzer: TextAnalyzer, text: str) -> None:
    assert analyzer.analyse(text).volume == ()


@pytest.mark.parametrize(
    "text",
    [
        "I post 5 times a day on every platform.",
        "Ik post dagelijks 3 berichten.",
        "I made 40 reels that got 2 million views.",
        "My 300 posts reached 20,000 followers.",
    ],
)
def test_volume_with_a_count_or_a_rate_is_bragging(analyzer: TextAnalyzer, text: str) -> None:
    assert analyzer.analyse(text).volume


@pytest.mark.parametrize(
    "text", ["My reels got 2 million views.", "Mijn reels werden 2 miljoen keer bekeken.", "Videos with 50,000 likes."]
)
def test_the_audience_count_beside_output_is_vanity_not_volume(analyzer: TextAnalyzer, text: str) -> None:
    # The figure counts the audience, not the output: vanity metrics, no volume offered as proof.
    found = analyzer.analyse(text)
    assert found.vanity and found.volume == ()


def test_dutch_inflections_match_through_the_stem(analyzer: TextAnalyzer) -> None:
    # "klant" in the lexicon matches "klanten"; "abonnement" matches "abonnementen".
    assert analyzer.analyse("We wonnen 30 nieuwe klanten.").concrete_result
    assert analyzer.analyse("Er kwamen 200 abonnementen bij.").concrete_result


def test_english_lead_the_verb_is_not_leads_the_outcome(analyzer: TextAnalyzer) -> None:
    assert analyzer.analyse("I lead a team of 5 people.").business == ()


def test_titles_can_be_taken_back_but_buzzwords_cannot(analyzer: TextAnalyzer) -> None:
    assert analyzer.analyse("I am no guru, just a marketer.").titles == ()
    assert analyzer.analyse("I am a social media guru.").titles == ("social media guru",)
    assert analyzer.analyse("Not a game changer, but synergy.").buzzwords == ("game changer", "synergy")


def test_spans_mark_exactly_the_terms_that_counted(analyzer: TextAnalyzer) -> None:
    text = "Social media guru with 10k followers"
    found = analyzer.analyse(text)
    assert sorted((text[s:e], kind) for s, e, kind in found.spans) == [
        ("Social media guru", "title"),
        ("followers", "vanity"),
    ]
    assert analyzer.analyse("Leads instead of likes").spans == ()


@pytest.mark.parametrize(
    "text",
    [
        # An audience's reaction is no result, whoever reacted.
        "My posts reached 50k followers, and 300 customers commented on my posts.",
        "Meer dan 300 klanten reageerden op mijn berichten.",
        # A loss is no result achieved.
        "We lost 30% of our customers after the campaign.",
        "We verloren 200 abonnees in een maand.",
        # Fewer is the result for complaints and returns: counting them is none.
        "After one post we got 400 complaints.",
        "We kregen 120 klachten binnen een dag.",
    ],
)
def test_reactions_losses_and_counted_complaints_are_no_concrete_result(analyzer: TextAnalyzer, text: str) -> None:
    found = analyzer.analyse(text)
    assert not found.concrete_result
    assert not found.business


@pytest.mark.parametrize(
    "text",
    [
        "Complaints fell by 40% after we set up a service account.",
        "Het aantal klachten daalde met 35% in een half jaar.",
        "We halved the returns: from 8% to 4% of orders.",
    ],
)
def test_a_fall_in_complaints_or_returns_is_a_concrete_result(analyzer: TextAnalyzer, text: str) -> None:
    assert analyzer.analyse(text).concrete_result


def test_vanity_counts_again_once_a_reaction_no_longer_passes_for_a_result(analyzer: TextAnalyzer) -> None:
    found = analyzer.analyse("We grew to 50k followers, and 300 customers commented on my posts.")
    assert "followers" in found.vanity


def test_a_superscript_is_no_figure(analyzer: TextAnalyzer) -> None:
    assert not analyzer.analyse("We won ² customers with one post.").concrete_result
    assert analyzer.analyse("We won 2 customers with one post.").concrete_result
