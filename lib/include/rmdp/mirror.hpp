// placeholder for the mirror layer
#pragma once
