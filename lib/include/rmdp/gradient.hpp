// placeholder for the gradient layer
#pragma once
