"""The type of the user a service acts for, in one place.

Every service that writes business data takes `*, user: User`: the request's
user in views and admin, the job's owner in jobs, the demo user in the demo data.
Any model behind settings.AUTH_USER_MODEL is an AbstractBaseUser.
"""

from django.contrib.auth.base_user import AbstractBaseUser

User = AbstractBaseUser
