from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from congresses.api import CongressViewSet, DelegateViewSet, PostViewSet, TermViewSet
from congresses.elections.api import ElectionViewSet
from congresses.resolutions.api import ResolutionViewSet, TargetViewSet
from members.api import BranchViewSet, MemberViewSet

from . import token_views, views

router = DefaultRouter()
router.register("branches", BranchViewSet, basename="branch")
router.register("members", MemberViewSet, basename="member")
router.register("terms", TermViewSet, basename="term")
router.register("congresses", CongressViewSet, basename="congress")
router.register("posts", PostViewSet, basename="post")
router.register("delegates", DelegateViewSet, basename="delegate")
router.register("elections", ElectionViewSet, basename="election")
router.register("resolutions", ResolutionViewSet, basename="resolution")
router.register("targets", TargetViewSet, basename="target")

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.metrics, name="metrics"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("members.urls")),
    path("", include("congresses.urls")),
    path("", include("reports.urls")),
    path("api/v1/auth/token/", token_views.TokenView.as_view(), name="api-token"),
    path("api/v1/auth/tokens/", token_views.TokenListView.as_view(), name="api-tokens"),
    path(
        "api/v1/auth/tokens/<int:pk>/",
        token_views.TokenDetailView.as_view(),
        name="api-token-detail",
    ),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves the page's script from a URL (?script): the CSP refuses inline ones.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
    # last: any other address under /api/ is a JSON 404, whatever DEBUG says
    re_path(r"^api/", views.api_not_found, name="api-not-found"),
]
