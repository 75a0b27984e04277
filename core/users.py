"""The type of the user a service acts for, in one place.

Services take `user: User | None` (None for scripts such as the demo data);
any model behind settings.AUTH_USER_MODEL is an AbstractBaseUser.
"""

from django.contrib.auth.base_user import AbstractBaseUser

User = AbstractBaseUser
