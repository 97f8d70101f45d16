"""The admin's image form (WAGTAILIMAGES_IMAGE_FORM_BASE): Wagtail's, plus murasil/images/uploads.py."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from .uploads import UnsafeImage, strip_location, verify_image


class SafeImageField(WagtailImageField):
    """Pillow's verification and location removal before Wagtail's own checks.

    Before them, because Wagtail 7.4 answers a truncated JPEG with a server error (Pillow raises
    OSError while Wagtail counts its pixels); verified here, it gets a clear message instead.
    """

    def to_python(self, data):
        if isinstance(data, UploadedFile):
            data.seek(0)
            content = data.read()
            try:
                verify_image(content)
                cleaned = strip_location(content)
            except UnsafeImage as error:
                raise ValidationError(str(error), code="unsafe_image") from None
            if cleaned is not content:
                data = SimpleUploadedFile(data.name, cleaned, content_type=data.content_type)
            else:
                data.seek(0)
        return super().to_python(data)


class SafeImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail builds the field itself (formfield_for_dbfield); keep its settings, add the checks.
        if type(self.fields.get("file")) is WagtailImageField:
            self.fields["file"].__class__ = SafeImageField
