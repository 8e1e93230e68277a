from django.urls import path

from .views import calendar, congresses, elections, parts, rounds, terms

app_name = "congresses"

urlpatterns = [
    path("branches/<slug:code>/terms/", terms.term_list, name="terms"),
    path("branches/<slug:code>/terms/new/", terms.term_add, name="term_add"),
    path("terms/<int:pk>/", terms.term_detail, name="term"),
    path("terms/<int:pk>/extend/", terms.term_extend, name="term_extend"),
    path("terms/<int:pk>/posts/add/", terms.post_add, name="post_add"),
    path("terms/<int:pk>/posts/end/", terms.post_end, name="post_end"),
    path("terms/<int:pk>/congress/new/", congresses.congress_add, name="congress_add"),
    path("congresses/<int:pk>/", congresses.congress_detail, name="congress"),
    path("congresses/<int:pk>/edit/", congresses.congress_edit, name="congress_edit"),
    path("congresses/<int:pk>/held/", congresses.record_held, name="congress_held"),
    path("congresses/<int:pk>/submit/", congresses.submit, name="congress_submit"),
    path("congresses/<int:pk>/recognise/", congresses.recognise, name="congress_recognise"),
    path("congresses/<int:pk>/reopen/", congresses.reopen, name="congress_reopen"),
    path("congresses/<int:pk>/guests/add/", parts.guest_add, name="guest_add"),
    path("guests/<int:pk>/remove/", parts.guest_remove, name="guest_remove"),
    path("congresses/<int:pk>/seats/add/", parts.seat_add, name="seat_add"),
    path("seats/<int:pk>/remove/", parts.seat_remove, name="seat_remove"),
    path("congresses/<int:pk>/delegates/add/", parts.delegate_add, name="delegate_add"),
    path("delegates/<int:pk>/remove/", parts.delegate_remove, name="delegate_remove"),
    path("congresses/<int:pk>/documents/add/", parts.document_add, name="document_add"),
    path("documents/<int:pk>/", parts.document_download, name="document"),
    path("congresses/<int:pk>/elections/new/", elections.election_add, name="election_add"),
    path("elections/<int:pk>/", elections.election_detail, name="election"),
    path("elections/<int:pk>/edit/", elections.election_edit, name="election_edit"),
    path("elections/<int:pk>/delete/", elections.election_delete, name="election_delete"),
    path("elections/<int:pk>/candidates/add/", elections.candidate_add, name="candidate_add"),
    path("candidates/<int:pk>/remove/", elections.candidate_remove, name="candidate_remove"),
    path("elections/<int:pk>/rounds/add/", rounds.round_add, name="round_add"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path("rounds/<int:pk>/remove/", rounds.round_remove, name="round_remove"),
    path("elections/<int:pk>/decide/", rounds.decide, name="election_decide"),
    path("elections/<int:pk>/certify/", elections.certify, name="election_certify"),
    path("elections/<int:pk>/reopen/", elections.reopen, name="election_reopen"),
    path("calendar/", calendar.calendar, name="calendar"),
]
